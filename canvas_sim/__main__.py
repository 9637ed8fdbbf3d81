"""Command line: `python -m canvas_sim --port 8900 --token TOKEN [--db FILE]`."""

import argparse
import logging
import os
import signal
import sys

from . import create_app
from .server import serve


def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m canvas_sim", description="A Canvas LMS REST API simulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument(
        "--token",
        default=os.environ.get("CANVAS_SIM_TOKEN", "sim-token"),
        help="the Canvas access token clients must send (env CANVAS_SIM_TOKEN)",
    )
    parser.add_argument(
        "--control-token",
        default=os.environ.get("CANVAS_SIM_CONTROL_TOKEN", "sim-control"),
        help="the token of the /sim/ control API (env CANVAS_SIM_CONTROL_TOKEN)",
    )
    parser.add_argument("--db", help="keep state in this SQLite file across restarts")
    parser.add_argument(
        "--autofill",
        action="store_true",
        help="give every course created through the API groups, work and grades",
    )
    parser.add_argument(
        "--throttle-status",
        type=int,
        choices=(403, 429),
        default=403,
        help="status of a throttled answer: 403 (classic Canvas) or 429",
    )
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def main(argv=None):
    """Build the app and serve it until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_app(
        token=args.token,
        control_token=args.control_token,
        autofill=args.autofill,
        db=args.db,
    )
    app.extensions["canvas_sim"].throttle.configure(status=args.throttle_status)
    # SIGTERM from a test harness should flush and exit cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Canvas simulator on http://{args.host}:{args.port}/ ", flush=True)
    try:
        serve(app, args.host, args.port)
    finally:
        app.extensions["canvas_sim"].store.close()


if __name__ == "__main__":
    main()
