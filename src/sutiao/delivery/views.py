"""The pages of electronic service: the inbox (updated live), a service and its proof, a
case's served documents, service addresses, the paper-service queue, preferences; and the
SMS gateway's receipts. Thin: changes through `actions`, reads through `queries`."""

from __future__ import annotations

import datetime as dt
import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sutiao.audit import security
from sutiao.cases.models import Case, Party
from sutiao.core.errors import NotFound
from sutiao.core.forms import form_page, run_action, step_view
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can

from . import actions, forms, queries
from .models import InboxItem, Service
from .policies import is_staff, represents

PAGE = 50


def _pdf(file, name: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The inbox ----------------------------------------------------------------------------


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    items = list(queries.inbox_for(request.user, unread_only=unread_only)[:PAGE])
    return render(
        request,
        "delivery/inbox.html",
        {
            "items": items,
            "unread_only": unread_only,
            "unread": queries.unread_count(request.user.pk),
        },
    )


def _item(request, pk: int) -> InboxItem:
    return visible_or_404(request.user, queries.inbox_item_rows(), pk=pk)


@login_required
def item(request, pk: int):
    item = actions.open_item(actor=request.user, item=_item(request, pk))
    return render(request, "delivery/item.html", {"item": item})


@login_required
def item_download(request, pk: int):
    """The served document, to its recipient: downloading it is "opened"."""
    item = _item(request, pk)
    if item.document_id is None:
        raise NotFound()
    actions.open_item(actor=request.user, item=item, download=True)
    return _pdf(item.document.file, f"{item.document.verify_code}.pdf")


acknowledge = step_view(
    _item,
    lambda user, item: actions.acknowledge(actor=user, item=item),
    success=gettext_lazy("You confirmed receipt."),
    then=lambda item: reverse("delivery:item", args=[item.pk]),
    catch=(),
)


@login_required
def unread(request):
    return JsonResponse({"unread": queries.unread_count(request.user.pk)})


@login_required
def open_link(request, token: str):
    """The link in an e-mail or SMS: the recipient opened it; then the document or notice."""
    d = actions.open_link(actor=request.user, token=token)
    if d.service_id:
        mine = queries.inbox_item_of_service(request.user, d.service_id)
        if mine is not None:
            return redirect("delivery:item", pk=mine.pk)
        return redirect("delivery:service", pk=d.service_id)
    if d.case_id:
        return redirect("cases:detail", pk=d.case_id)
    return redirect("delivery:inbox")


# A service ----------------------------------------------------------------------------


def _service(request, pk: int) -> Service:
    return visible_or_404(request.user, queries.service_rows(), pk=pk)


def _service_page(request, service: Service, paper_form=None, status: int = 200):
    user = request.user
    staff = is_staff(user, service.case)
    context = {
        "service": service,
        "case": service.case,
        "staff": staff,
        "recipient": represents(user, service.party),
        **queries.service_record(service),
        "may_record_paper": can(user, "record_paper", service),
        "may_manage": can(user, "manage", service),
    }
    if context["may_record_paper"]:
        context["paper_form"] = paper_form or forms.PaperForm(prefix="paper")
    return render(request, "delivery/service.html", context, status=status)


@login_required
def service(request, pk: int):
    return _service_page(request, _service(request, pk))


@login_required
def service_document(request, pk: int):
    service = _service(request, pk)
    if service.document_id is None:
        raise NotFound()
    if represents(request.user, service.party):
        d = queries.inbox_delivery(service, request.user)
        if d is not None:
            actions.open_item(actor=request.user, item=d.inbox_item, download=True)
    return _pdf(service.document.file, f"{service.document.verify_code}.pdf")


@login_required
def proof(request, pk: int):
    service = _service(request, pk)
    if service.proof_id is None:
        raise NotFound()
    return _pdf(service.proof.file, f"proof-{service.proof.verify_code}.pdf")


@login_required
@require_POST
def record_paper(request, pk: int):
    service = _service(request, pk)
    form = forms.PaperForm(request.POST, prefix="paper")
    done = run_action(
        request,
        form,
        lambda d: actions.record_paper_service(actor=request.user, service=service, **d),
        success=_("Paper service is recorded."),
        then=reverse("delivery:service", args=[pk]),
        catch=(),
    )
    return done or _service_page(request, service, paper_form=form, status=422)


def _service_step(call, done):
    return step_view(
        _service,
        call,
        success=done,
        then=lambda service: reverse("delivery:service", args=[service.pk]),
    )


request_paper = _service_step(
    lambda user, service: actions.request_paper_copy(actor=user, service=service),
    gettext_lazy("Your request for a paper copy is recorded."),
)
send_again = _service_step(
    lambda user, service: actions.send_again(actor=user, service=service),
    gettext_lazy("It is being sent again."),
)
issue_proof = _service_step(
    lambda user, service: actions.issue_proof(
        actor=user, service=service, again=bool(service.proof_id)
    ),
    gettext_lazy("The proof of service is issued."),
)


# A case's served documents ------------------------------------------------------------


def _case(request, pk: int) -> Case:
    return visible_or_404(request.user, queries.case_rows(), pk=pk)


def _serve_form(case: Case, data=None):
    return forms.ServeForm(
        data, documents=queries.servable_documents(case), parties=case.parties.all(), prefix="serve"
    )


@login_required
def case_services(request, pk: int, serve_form=None):
    case = _case(request, pk)
    staff = is_staff(request.user, case)
    context = {
        "case": case,
        "staff": staff,
        "services": list(queries.services_for_case(request.user, case)),
        "parties": queries.parties_with_addresses(case) if staff else [],
    }
    if staff:
        context["serve_form"] = serve_form or _serve_form(case)
    return render(
        request,
        "delivery/case_services.html",
        context,
        status=422 if serve_form is not None else 200,
    )


@login_required
@require_POST
def serve(request, pk: int):
    case = _case(request, pk)
    form = _serve_form(case, request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.serve_document(
            actor=request.user,
            case=case,
            document=queries.document_by_code(d["document"]),
            recipients=queries.parties_of(case, [int(x) for x in d["recipients"]]),
            title=d["title"],
            kind=d["kind"],
        ),
        success=lambda services: _("Served on %(n)s recipient(s).") % {"n": len(services)},
        then=reverse("delivery:case", args=[pk]),
    )
    return done or case_services(request, pk, serve_form=form)


@login_required
def case_export(request, pk: int):
    case = _case(request, pk)
    if not is_staff(request.user, case):
        raise NotFound()
    response = HttpResponse(queries.export_zip(case), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="service-{case.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


# Service addresses --------------------------------------------------------------------


def _address_initial(party: Party, user) -> dict:
    current = queries.current_addresses(party)
    if current is None:
        return {"e_service": False, "inbox": True, "email": user.email, "phone": ""}
    return {
        "e_service": current.consents_e_service,
        "inbox": current.inbox,
        "email": current.email,
        "phone": current.phone,
        "method": current.method,
    }


@login_required
def addresses(request, bound=None, status: int = 200):
    rows = []
    for party in queries.my_parties(request.user):
        form = (bound or {}).get(party.pk) or forms.AddressForm(
            prefix=f"p{party.pk}", initial=_address_initial(party, request.user)
        )
        rows.append(
            {
                "party": party,
                "form": form,
                "history": queries.address_history(party),
                "current": queries.current_addresses(party),
            }
        )
    shown = [r["party"] for r in rows if r["current"] is not None and r["current"].phone]
    for party in shown:
        # The forms show the whole service phone number (reads of personal data are traced).
        security.personal_data_read(request.user, party, "phone", where="delivery:addresses")
    return render(request, "delivery/addresses.html", {"rows": rows}, status=status)


@login_required
@require_POST
def change_addresses(request, party_id: int):
    party = get_object_or_404(queries.party_rows(), pk=party_id)
    if not represents(request.user, party):
        raise NotFound()
    form = forms.AddressForm(request.POST, prefix=f"p{party.pk}")
    done = run_action(
        request,
        form,
        lambda d: actions.confirm_addresses(
            actor=request.user,
            party=party,
            e_service=d["e_service"],
            email=d["email"],
            phone=d["phone"],
            inbox=d["inbox"],
            method=d["method"],
        ),
        success=_("Your service addresses are recorded."),
        then=reverse("delivery:addresses") + f"#party-{party.pk}",
        refused=reverse("delivery:addresses"),
    )
    return done or addresses(request, bound={party.pk: form}, status=422)


# The paper-service queue, preferences -------------------------------------------------


@login_required
def paper_queue(request):
    return render(
        request,
        "delivery/paper_queue.html",
        {"services": list(queries.paper_queue(request.user)[:200])},
    )


@login_required
def paper_batch(request):
    """The paper queue's selected services (all, without `service=`) as one PDF to print."""
    from .paper_batch import batch_pdf, printable

    ids = [int(v) for v in request.GET.getlist("service") if v.isdigit()] or None
    services = printable(request.user, ids)
    if not services:
        raise Http404
    response = HttpResponse(batch_pdf(services), content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="paper-service-{stamp}.pdf"'
    return response


@login_required
def preferences(request):
    pref = queries.preference(request.user)
    form = forms.PreferenceForm(
        request.POST or None,
        initial={
            "notices": pref.notices,
            "sms_prompts": pref.sms_prompts,
            "digest_hour": pref.digest_hour,
        },
    )
    return form_page(
        request,
        form,
        lambda d: actions.set_preferences(actor=request.user, **d),
        success=_("Your preferences are saved."),
        then=reverse("delivery:preferences"),
        catch=(),
        template="delivery/preferences.html",
        context={"form": form},
    )


# The SMS gateway's delivery receipts --------------------------------------------------


@csrf_exempt
@require_POST
def sms_receipt(request):
    token = settings.SMS_RECEIPT_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        body = json.loads(request.body or b"{}")
        ref = str(body.get("client_ref") or body.get("id") or "")
        at = dt.datetime.fromisoformat(body["at"]) if body.get("at") else None
    except (ValueError, TypeError):
        return JsonResponse({"error": "bad request"}, status=400)
    d = actions.record_sms_receipt(
        ref=ref, delivered=body.get("status") == "delivered", at=at, detail=str(body.get("id", ""))
    )
    if d is None:
        return JsonResponse({"error": "unknown message"}, status=404)
    return JsonResponse({"ok": True})
