"""Documents are dated with the day in Beijing (Asia/Shanghai), never the UTC day: an
agreement opened for signing at 07:00 on 2 December Beijing time (23:00 UTC on 1 December)
is dated 2 December."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

import pypdf
import pytest

from sutiao.agreements import actions
from sutiao.documents.models import Document

from . import factories

# 07:00 on Wednesday 2 December 2026 in Beijing; still 1 December in UTC.
EARLY_MORNING_IN_BEIJING = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(EARLY_MORNING_IN_BEIJING, tick=True),
]


def pdf_text(document_id: int) -> str:
    with Document.objects.get(pk=document_id).file.open("rb") as fh:
        pages = pypdf.PdfReader(BytesIO(fh.read())).pages
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in pages)


def test_an_agreement_opened_early_in_the_beijing_morning_is_dated_that_day(world):
    agreement = factories.draft(world)
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    text = pdf_text(agreement.document_id)
    assert "2026年12月2日" in text
    assert "2026年12月1日" not in text


def test_the_agreement_date_follows_the_moment_passed_in(world):
    agreement = factories.draft(world)
    at = datetime(2026, 12, 2, 16, 30, tzinfo=UTC)  # 00:30 on 3 December in Beijing
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=agreement, at=at)
    assert "2026年12月3日" in pdf_text(agreement.document_id)
