"""run_action is the one error path of every page that calls an action: field errors beside the
fields, a refused step as a message (or on the form), other errors on to the error page."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.forms import run_action


class NoteForm(forms.Form):
    note = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def _raise(exc):
    def call(_d):
        raise exc

    return call


def test_success_gives_the_message_and_a_redirect_that_may_depend_on_the_result():
    request = _request()
    done = run_action(
        request,
        NoteForm({"note": "x"}),
        lambda d: 7,
        success=lambda n: f"done {n}",
        then=lambda n: f"/to/{n}/",
    )
    assert done.status_code == 302 and done.url == "/to/7/"
    assert _texts(request) == ["done 7"]


def test_bad_input_goes_beside_the_field_and_the_form_is_shown_again():
    form = NoteForm({"note": "x"})
    done = run_action(
        _request(),
        form,
        _raise(Invalid("bad", fields={"note": ["too short"]})),
        success="ok",
        then="/",
    )
    assert done is None and form.errors["note"] == ["too short"]


@pytest.mark.parametrize("refusal", ["redirect", "form", "message"])
def test_a_refused_step_is_its_message(refusal):
    request, form = _request(), NoteForm({"note": "x"})
    done = run_action(
        request,
        form,
        _raise(Conflict("not now")),
        success="ok",
        then="/",
        refused="/back/",
        refusal=refusal,
    )
    if refusal == "redirect":
        assert done.url == "/back/" and _texts(request) == ["not now"]
    elif refusal == "form":
        assert done is None and form.non_field_errors() == ["not now"]
    else:
        assert done is None and _texts(request) == ["not now"]


def test_a_button_without_a_form_refuses_bad_input_as_a_message():
    request = _request()
    done = run_action(request, None, _raise(Invalid("no")), success="ok", then="/here/")
    assert done.url == "/here/" and _texts(request) == ["no"]


def test_errors_outside_catch_and_not_found_go_on_to_the_error_page():
    with pytest.raises(NotFound):
        run_action(_request(), None, _raise(NotFound()), success="ok", then="/")
    with pytest.raises(Forbidden):
        run_action(_request(), None, _raise(Forbidden()), success="ok", then="/", catch=(Conflict,))
    with pytest.raises(Invalid):
        run_action(_request(), None, _raise(Invalid("no")), success="ok", then="/", catch=())
