"""Every audit action, outbox topic and timeline kind is registered once, with a label."""

import ast
import pathlib

import pytest
from django.contrib import admin
from django.db import transaction
from django.utils import translation

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.audit.log import record
from sutiao.cases import lifecycle as case_lifecycle
from sutiao.core import events, outbox
from sutiao.core.events import UnregisteredEvent
from sutiao.judicial import lifecycle as judicial_lifecycle

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "sutiao"


def _literal_names():
    """(function, name) for every record()/emit() whose name is a plain string literal."""
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            fn = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            if fn == "record" and len(node.args) >= 2:
                arg, channel = node.args[1], "audit"
            elif fn == "emit" and node.args:
                arg, channel = node.args[0], "outbox"
            else:
                continue
            values = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            for v in values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    yield channel, v.value, f"{path.relative_to(SRC)}:{node.lineno}"


def test_every_literal_name_in_the_code_is_registered_for_its_channel():
    events.discover()
    missing = [
        (channel, name, where)
        for channel, name, where in _literal_names()
        if not getattr(events.EVENTS.get(name), channel, False)
    ]
    assert not missing


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_registered_name_has_a_label_in_each_language(language):
    with translation.override(language):
        for e in events.all_events():
            text = str(e.label)
            assert text and text != e.name, e.name
            assert e.audit or e.outbox or e.timeline, f"{e.name} goes nowhere"
            assert e.domain


def test_names_are_namespaced_and_timeline_kinds_unique():
    seen = set()
    for e in events.all_events():
        assert "." in e.name, e.name
        if e.timeline:
            assert (e.domain, e.timeline) not in seen
            seen.add((e.domain, e.timeline))


def test_each_lifecycle_step_is_one_registered_fact():
    events.discover()
    for prefix, domain, table in (
        ("case", "cases", case_lifecycle.TRANSITIONS),
        ("judicial", "judicial", judicial_lifecycle.TRANSITIONS),
    ):
        for name in table:
            e = events.EVENTS[f"{prefix}.{name}"]
            assert e.audit and e.outbox and e.timeline == name
            assert events.TIMELINES[(domain, name)] is e


def test_every_audited_admin_model_has_its_three_names():
    events.discover()
    audited = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedModelAdmin)]
    assert audited
    for model in audited:
        for verb in ("created", "updated", "deleted"):
            assert events.EVENTS[f"admin.{model._meta.model_name}.{verb}"].audit


@pytest.mark.django_db
def test_record_and_emit_refuse_an_unregistered_name():
    with transaction.atomic():
        with pytest.raises(UnregisteredEvent):
            record("system", "case.no_such_thing")
        with pytest.raises(UnregisteredEvent):
            outbox.emit("case.no_such_thing", {})
        # Registered, but not for that channel.
        with pytest.raises(UnregisteredEvent):
            outbox.emit("case.created", {})
        with pytest.raises(UnregisteredEvent):
            record("system", "deadline.moved")
    with pytest.raises(UnregisteredEvent):
        events.require_timeline("cases", "no_such_kind")


@pytest.mark.django_db
def test_every_registered_name_is_accepted_by_its_channel():
    with transaction.atomic():
        for e in events.all_events():
            if e.audit:
                record("system", e.name)
            if e.outbox:
                outbox.emit(e.name, {})
            if e.timeline:
                assert events.require_timeline(e.domain, e.timeline) is e


def test_in_production_an_unregistered_name_is_logged_not_raised(settings, caplog):
    settings.DEBUG = False
    settings.TESTING = False
    assert events.require("case.no_such_thing", channel="audit") is None
    assert "case.no_such_thing" in caplog.text
