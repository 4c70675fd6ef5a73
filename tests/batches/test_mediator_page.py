"""The mediator works the batch from one page: contacts every respondent at once, sees who
answered, and sends one agreement template with each respondent's amount for signing;
each respondent can reach only the agreement of its own case."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sutiao.agreements.models import Agreement
from sutiao.batches import actions
from sutiao.cases import actions as cases
from sutiao.cases.models import Case, PartyInvitation
from sutiao.core.errors import NotFound
from sutiao.core.policy import require
from tests import factories
from tests.cases.factories import consent, join

from .conftest import rows, upload, xlsx


@pytest.fixture
def delegated(world):
    batch, _created = upload(world, xlsx(rows(3, bad=False)))
    mediator = world["mediators"][0]
    actions.delegate_batch(actor=world["clerk"], batch=batch, mediators=[mediator])
    for case in Case.objects.filter(batch_link__batch=batch):
        cases.accept(actor=mediator.user, case=case)
    return batch, mediator


def test_contact_every_respondent_at_once(world, delegated):
    batch, mediator = delegated
    before = PartyInvitation.objects.count()
    assert actions.contact_respondents(actor=mediator.user, batch=batch) == 3
    assert PartyInvitation.objects.count() == before + 3
    with pytest.raises(NotFound):
        actions.contact_respondents(actor=world["mediators"][1].user, batch=batch)


def test_one_template_each_its_own_amount_each_respondent_only_its_own(world, delegated):
    batch, mediator = delegated
    first, second, third = Case.objects.filter(batch_link__batch=batch).order_by("batch_link__line")
    people = {}
    for case in (first, second):  # the third respondent never answers
        user = factories.person("party")
        party = join(case, user)
        consent(case, user, party)
        people[case.pk] = user
    page = factories.client_for(mediator.user).get(f"/batches/{batch.pk}/").content.decode()
    assert page.count("已同意") + page.count("Consented") >= 2

    sent = actions.send_agreements(
        actor=mediator.user,
        batch=batch,
        template=actions.TemplateIn(
            facts="被申请人使用了申请人享有著作权的图片。",
            subject="赔偿经济损失",
            due_date=(timezone.localdate() + timedelta(days=30)),
            amounts={second.pk: 80_000},
        ),
    )
    assert {a.case_id for a in sent} == {first.pk, second.pk}  # the third has not consented
    assert all(a.state == Agreement.State.SIGNING for a in sent)
    by_case = {a.case_id: a for a in sent}
    assert by_case[first.pk].terms.get().data["amount_fen"] == first.amount_fen
    assert by_case[second.pk].terms.get().data["amount_fen"] == 80_000
    require(people[first.pk], "view", by_case[first.pk])
    with pytest.raises(NotFound):
        require(people[first.pk], "view", by_case[second.pk])


def _browser(user):
    """A logged-in client that checks CSRF as the site does: it posts back the token of the
    page's form, with the cookie the page set."""
    client = factories.client_for(user)
    client.handler.enforce_csrf_checks = True
    return client


def _token(page: str, form_id: str) -> str:
    form = page[page.index(f'id="{form_id}"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_the_page_sends_each_respondent_its_own_amount(world, delegated):
    batch, mediator = delegated
    first, second, _third = Case.objects.filter(batch_link__batch=batch).order_by(
        "batch_link__line"
    )
    people = {}
    for case in (first, second):
        user = factories.person("party")
        consent(case, user, join(case, user))
        people[case.pk] = user
    browser = _browser(mediator.user)
    url = f"/batches/{batch.pk}/"
    page = browser.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert f'name="amount_{first.pk}" value="1001.50"' in page  # the amount claimed
    assert f'name="amount_{_third.pk}"' not in page  # not consented: no agreement to send
    form = {
        "csrfmiddlewaretoken": _token(page, "agreements-form"),
        "facts": "被申请人使用了申请人享有著作权的图片。",
        "subject": "赔偿经济损失",
        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    bad = {**form, f"amount_{first.pk}": "-5", f"amount_{second.pk}": "八百"}
    refused = browser.post(
        f"{url}agreements/", bad, follow=True, headers={"Accept-Language": "en"}
    ).content.decode()
    respondent = first.parties.get(role="respondent").name
    assert f"The amount for {respondent} must be a positive number of yuan" in refused
    assert not Agreement.objects.filter(case__batch_link__batch=batch).exists()  # none sent

    good = {**form, f"amount_{first.pk}": "600", f"amount_{second.pk}": "850.25"}
    sent = browser.post(f"{url}agreements/", good)
    assert sent.status_code == 302
    by_case = {a.case_id: a for a in Agreement.objects.filter(case__batch_link__batch=batch)}
    assert set(by_case) == {first.pk, second.pk}
    assert by_case[first.pk].terms.get().data["amount_fen"] == 60_000
    assert by_case[second.pk].terms.get().data["amount_fen"] == 85_025
    require(people[second.pk], "view", by_case[second.pk])
    with pytest.raises(NotFound):
        require(people[second.pk], "view", by_case[first.pk])


def test_a_post_without_the_pages_token_is_refused(world, delegated):
    batch, mediator = delegated
    refused = _browser(mediator.user).post(f"/batches/{batch.pk}/agreements/", {"facts": "x"})
    assert refused.status_code == 403
