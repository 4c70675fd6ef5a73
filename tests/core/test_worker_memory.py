"""A worker that serves lists, case pages and the API never loads the PDF engine, matplotlib
or openpyxl (~100 MB together, issue 14's worker memory): they load on first use
(sutiao.core.lazy). A new top-level import of one of them in the request path fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ["weasyprint", "pyhanko", "matplotlib", "openpyxl", "numpy", "fontTools"]
PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as a worker's first request loads them
import sutiao.wsgi, sutiao.api
print(json.dumps({name: name in sys.modules for name in sys.argv[1:]}))
"""


def test_serving_loads_no_pdf_engine_chart_or_spreadsheet_library():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sutiao.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(loaded.values()), [name for name, yes in loaded.items() if yes]


def test_a_lazy_module_answers_as_the_real_one():
    from sutiao.core.lazy import lazy

    colorsys = lazy("colorsys")
    assert colorsys.rgb_to_hsv(1, 0, 0) == (0.0, 1.0, 1)
    assert sys.modules["colorsys"].rgb_to_hsv is colorsys.rgb_to_hsv
