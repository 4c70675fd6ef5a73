from __future__ import annotations

import importlib

import pytest

from tests.documents.conftest import media, nss_db  # noqa: F401

from . import factories


@pytest.fixture(autouse=True)
def _fresh_sms_outbox():
    from sutiao.agreements import otp

    otp.LocalSmsSender.outbox.clear()
    yield


def seed_templates() -> None:
    """The agreement template comes from a data migration; a transactional test (live server,
    browser) flushes every table when it ends, so the next one puts it back first."""
    from django.apps import apps

    from sutiao.agreements.models import AgreementTemplate

    if not AgreementTemplate.objects.exists():
        migration = importlib.import_module(
            "sutiao.agreements.migrations.0002_seed_ip_settlement_template"
        )
        migration.seed(apps, None)


@pytest.fixture
def world(db, media):  # noqa: F811
    seed_templates()
    return factories.mediating_case()
