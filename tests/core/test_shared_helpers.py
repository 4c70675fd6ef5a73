"""The small helpers the domains share instead of writing them again."""

from __future__ import annotations

import threading

import pytest

from sutiao.core.background import start_thread
from sutiao.core.errors import CoreError, Invalid, required_reason


def test_a_reason_is_given_back_stripped():
    assert required_reason("  the party objects \n") == "the party objects"


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_no_reason_is_invalid_beside_the_reason_field(blank):
    with pytest.raises(Invalid) as caught:
        required_reason(blank)
    assert caught.value.code == CoreError.VALIDATION_FAILED
    assert caught.value.details["fields"] == {"reason": [str(caught.value.message)]}
    assert str(caught.value.message)


def test_a_domain_gives_its_own_message_and_code():
    with pytest.raises(Invalid) as caught:
        required_reason(" ", "Say why.", code="casebook.bad_draft")
    assert caught.value.code == "casebook.bad_draft"
    assert caught.value.details["fields"] == {"reason": ["Say why."]}


def test_background_work_runs_in_a_named_daemon_thread():
    ran = threading.Event()
    seen = {}

    def work():
        seen["name"] = threading.current_thread().name
        ran.set()

    thread = start_thread(work, name="report-7")
    thread.join(5)
    assert ran.is_set() and seen["name"] == "report-7"
    assert thread.daemon and not thread.is_alive()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_background_work_that_fails_still_ends_its_thread():
    def work():
        raise RuntimeError("boom")

    thread = start_thread(work, name="roster-import-1")
    thread.join(5)
    assert not thread.is_alive()
