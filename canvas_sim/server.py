"""Serve the simulator with Werkzeug's threaded HTTP/1.1 server."""

import logging

from werkzeug.serving import WSGIRequestHandler, make_server

logger = logging.getLogger(__name__)


class QuietHandler(WSGIRequestHandler):
    """Keep-alive HTTP/1.1 handler that leaves access logging to /sim/requests."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; do not hold the second back.
    disable_nagle_algorithm = True

    def log_request(self, code="-", size="-"):
        """Skip the per-request access line; the request log has it."""


def serve(app, host, port):
    """Serve `app` on a thread per connection until interrupted."""
    server = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    logger.info("serving on %s:%d", host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
