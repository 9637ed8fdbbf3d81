"""One helper decides between a whole page and an htmx fragment."""

from flask import make_response, render_template, request


def wants_partial():
    """True for htmx requests that swap a fragment, not a whole page.

    Boosted links and history restores (htmx asking again for a page it has
    no copy of) put the answer in place of the whole body, so they get the
    whole page.
    """
    headers = request.headers
    return headers.get("HX-Request") == "true" and not (
        headers.get("HX-Boosted") or headers.get("HX-History-Restore-Request")
    )


def page_or_partial(page, partial, **context):
    """Render the partial for htmx requests, the page otherwise.

    The response varies on HX-Request, so caches keep the two apart.
    """
    template = partial if wants_partial() else page
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response
