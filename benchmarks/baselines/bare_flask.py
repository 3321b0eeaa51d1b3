"""The framework's ceiling: a bare Flask endpoint answering a static JSON body.

``BENCH_BODY_FILE`` holds the body (the benchmark writes our cached listing's answer there), so
both answers are the same size. Run under the same gunicorn settings as the shop:
``gunicorn -c deploy/gunicorn.conf.py --chdir benchmarks/baselines bare_flask:app``.
"""

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()

app = Flask(__name__)


@app.get("/api/products")
def products():
    return Response(BODY, mimetype="application/json")
