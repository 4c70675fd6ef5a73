"""Time drafting, rendering and signing an agreement: a ~2-page specimen agreement rendered
from its template (WeasyPrint, embedded Noto Serif/Sans SC), then three PAdES signatures with
visible stamps (two parties and the mediation organisation's seal), each an incremental update,
each PAdES B-LTA by default (signature timestamp from the platform TSA, DSS with the CA's CRL,
document timestamp; SUTIAO_TSA=off for B-B only, to compare).

    .venv/bin/python bench/documents.py [--runs 7]

Runs against a fresh SQLite file in a temporary data directory (migrated first), or against
the database named by SUTIAO_DATABASE_URL when it is set (a scratch database: the script
migrates it and adds rows). The signers' certificates are issued before the timed runs, as
they are once per signer in production; their one-off costs are printed separately, as are
registering the signed PDF and verifying it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")
if not os.environ.get("SUTIAO_DATABASE_URL"):
    os.environ["SUTIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="sutiao-bench-")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from sutiao.accounts.roles import Role  # noqa: E402
from sutiao.documents import actions, fonts, render, verify  # noqa: E402
from sutiao.documents.models import Document  # noqa: E402
from tests import factories  # noqa: E402
from tests.documents.conftest import Signers, agreement_context, sign_three  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def load() -> str:
    try:
        return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    org = factories.org(f"北京知识产权纠纷调解中心{time.time_ns() % 10000}")
    applicant, respondent = factories.person(), factories.person()
    applicant.real_name, respondent.real_name = "张三丰", "李四海"
    applicant.save(update_fields=["real_name"])
    respondent.save(update_fields=["real_name"])
    mediator = factories.person(Role.MEDIATOR, org=org)
    s = Signers(applicant, respondent, mediator, org)

    _, t_font = timed(fonts.stamp_font_slim)
    _, t_first = timed(lambda: actions.signer_certificate_for(applicant))  # creates the CA
    _, t_certs = timed(
        lambda: (actions.signer_certificate_for(respondent), actions.signer_certificate_for(org))
    )
    print(
        f"one-off: stamp font derived {t_font:.2f} s (cached on disk after), "
        f"platform CA + first certificate {t_first:.2f} s, two more certificates {t_certs:.2f} s"
    )

    def draft_render_sign():
        code = actions.new_verify_code()
        context = agreement_context(
            applicant=applicant.real_name, respondent=respondent.real_name, org=org.name
        )
        t0 = time.perf_counter()
        doc = render.render_document("documents/specimen_agreement.html", context, verify_code=code)
        t1 = time.perf_counter()
        signed = sign_three(doc.pdf, s)
        t2 = time.perf_counter()
        return code, doc, signed, t1 - t0, t2 - t1

    draft_render_sign()  # warm-up: imports, the font configuration, template loading
    totals, cpus, renders, signs = [], [], [], []
    print(f"before: {load()} ({os.cpu_count()} cores); SUTIAO_TSA={settings.TSA or 'off'}")
    for _ in range(args.runs):
        cpu0 = time.process_time()
        (code, doc, signed, t_render, t_sign), total = timed(draft_render_sign)
        cpus.append(time.process_time() - cpu0)
        totals.append(total)
        renders.append(t_render)
        signs.append(t_sign)
    print(
        f"document: {doc.pages} pages, {len(signed):,} bytes signed "
        f"({len(doc.pdf):,} before signing)"
    )
    print(
        f"draft + render + 3 signatures, {args.runs} runs: median {statistics.median(totals):.3f} s "
        f"(min {min(totals):.3f}, max {max(totals):.3f})"
    )
    print(f"  CPU time of this process: median {statistics.median(cpus):.3f} s; after: {load()}")
    print(
        f"  render median {statistics.median(renders):.3f} s; "
        f"3 signatures median {statistics.median(signs):.3f} s"
    )

    _, t_register = timed(
        lambda: actions.register_document(
            kind=Document.Kind.AGREEMENT,
            title="人民调解协议书",
            case_number="（2026）京0108民诉前调1234号",
            pdf_bytes=signed,
            verify_code=code,
        )
    )
    verdicts = [timed(lambda: verify.verify_pdf(signed)) for _ in range(args.runs)]
    assert all(v.status == "valid" for v, _ in verdicts), verdicts[0][0]
    print(
        f"register the signed PDF {t_register * 1000:.0f} ms; verify it (pyHanko, "
        f"3 signatures + timestamps + difference analysis) median "
        f"{statistics.median(t for _, t in verdicts) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
