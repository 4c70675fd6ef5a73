"""The field factories (core.fields) build the very columns the migrations describe."""

import pytest
from django.core.management import call_command
from django.db import models

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import Case
from sutiao.institutions.models import Court


@pytest.mark.django_db
def test_the_models_need_no_migration():
    # makemigrations --check exits with an error when a model differs from its migrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_optional_fk_may_be_empty_and_protects_what_it_names():
    court = Case._meta.get_field("court")
    assert (court.null, court.blank, court.related_model) == (True, True, Court)
    assert court.remote_field.on_delete is models.PROTECT
    assert court.remote_field.related_name == "cases"


@pytest.mark.parametrize(
    ("model", "name", "null", "on_delete"),
    [(Case, "created_by", False, models.PROTECT), (AuditEntry, "actor", True, models.SET_NULL)],
)
def test_by_user_is_required_and_kept_or_optional_and_emptied(model, name, null, on_delete):
    field = model._meta.get_field(name)
    assert (field.null, field.blank) == (null, null)
    assert field.remote_field.on_delete is on_delete
    assert field.remote_field.related_name == "+"
