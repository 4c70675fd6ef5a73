from __future__ import annotations

from tests.agreements.conftest import _fresh_sms_outbox, world  # noqa: F401
from tests.documents.conftest import media, nss_db  # noqa: F401
