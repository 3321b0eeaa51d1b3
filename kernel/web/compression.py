"""gzip for the API's text answers under ``commerce serve``, as nginx's ``gzip_types`` gives them
in production (``deploy/nginx.conf.template``): the catalog's JSON is on the landing page's
critical path, and uncompressed it was the text Lighthouse flagged. The storefront's own files
are compressed (and cached) by ``kernel/web/storefront.py``; an answer that already has a
``Content-Encoding``, and every other type (an event stream among them), passes through as it
comes, unbuffered.
"""

from __future__ import annotations

import gzip

GZIP_TYPES = frozenset({"text/css", "application/javascript", "application/json", "application/problem+json",
                        "image/svg+xml", "text/plain"})
MIN_BYTES = 256  # below this the gzip header and a round trip's worth of CPU buy nothing


class CompressedAnswers:
    """WSGI middleware: a compressible answer is buffered, gzip-compressed when the client accepts
    gzip and it is worth it, and always marked ``Vary: Accept-Encoding``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ: dict, start_response):
        accepts = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        held: dict = {}
        calling = True

        def start(status, headers, exc_info=None):
            if not calling:  # an app that starts its answer while it is being read: left as it is
                return start_response(status, headers, exc_info)
            names = {name.lower(): value for name, value in headers}
            kind = names.get("content-type", "").split(";")[0].strip()
            if kind not in GZIP_TYPES or "content-encoding" in names or environ["REQUEST_METHOD"] == "HEAD":
                return start_response(status, headers, exc_info)
            held.update(status=status, headers=headers, exc_info=exc_info, body=[])
            return held["body"].append

        answer = self.app(environ, start)
        calling = False
        if not held:
            return answer
        try:
            body = b"".join([*held["body"], *answer])
        finally:
            if hasattr(answer, "close"):
                answer.close()
        headers = [(name, value) for name, value in held["headers"] if name.lower() not in ("content-length", "vary")]
        vary = [value for name, value in held["headers"] if name.lower() == "vary"]
        if not any("accept-encoding" in value.lower() for value in vary):
            vary.append("Accept-Encoding")
        headers.append(("Vary", ", ".join(vary)))
        if accepts and len(body) >= MIN_BYTES:
            body = gzip.compress(body, 6)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(held["status"], headers, held["exc_info"])
        return [body]
