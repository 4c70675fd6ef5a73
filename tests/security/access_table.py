"""Every page and API path that names an object, with what it names: the access matrix
(test_access_matrix.py) asks each stranger for an object of another institution or case
and for a missing one, and expects the same 404.

An entry is either `Obj(model, param=attribute, …)`: the path's parameters are filled from a
row of `model` (its attributes, dotted for a relation), or one of the classifications below
with the reason the path is not a matter of whose object it is. A path missing here fails
the matrix: whoever adds an endpoint that takes an id says which of these it is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Obj:
    """`public`: the object itself is public (a court, an IP office, an organisation, a
    rostered mediator or entry): a stranger may learn it exists, so a refusal may be 403, but
    never a page or an answer of the object's staff."""

    model: str
    params: dict[str, str] = field(default_factory=dict)
    public: bool = False

    def __init__(self, model: str, *, public: bool = False, **params: str) -> None:
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "public", public)


@dataclass(frozen=True)
class Public:
    """Anyone may see it (directories, the public roster, reference data)."""

    reason: str


@dataclass(frozen=True)
class Capability:
    """The parameter is itself a secret handed to one person (an invitation or a delivery
    link, a verification code printed on a document): knowing it is the permission."""

    reason: str


@dataclass(frozen=True)
class Own:
    """Only the caller's own rows can be named; checked by the test named in the reason."""

    reason: str


# A report of a scope within one's own figures scope (the national supervisor sees them all).
REPORT = Own("a report of a scope of one's own: tests/evaluation/test_reports.py (404 outside)")
CASE = Obj("cases.Case", pk="pk")
CASE_ID = Obj("cases.Case", case_id="pk")
AGREEMENT = Obj("agreements.Agreement", pk="pk")
APPLICATION = Obj("judicial.ConfirmationApplication", pk="pk")
SERVICE = Obj("delivery.Service", pk="pk")
INBOX = Obj("delivery.InboxItem", pk="pk")
MEETING = Obj("meetings.MeetingSession", pk="pk")
PARTICIPANT = Obj("meetings.Participant", pk="session_id", participant_id="pk")
IMPORT = Obj("roster.ImportJob", pk="pk")
BATCH = Obj("batches.Batch", pk="pk")
COURSE = Obj("training.Course", public=True, pk="pk")
COURSE_PUBLIC = Public(
    "courses and their materials are listed to every signed-in person (docs/training.md); "
    "managing a course is refused by the actions' policy (tests/training)"
)
ENROLMENT = Obj("training.Enrolment", pk="pk")
TYPICAL = Obj("casebook.TypicalCase", pk="pk")
STEP = {"name": "accept"}  # a real step name: the look-up, not the name, must refuse

PAGES: dict[str, object] = {
    "institutions/courts/<int:pk>/": Public("the court directory"),
    "institutions/courts/<int:pk>/staff/": Obj("institutions.Court", public=True, pk="pk"),
    "institutions/courts/<int:pk>/settings/": Obj("institutions.Court", public=True, pk="pk"),
    "institutions/ip-offices/<int:pk>/": Public("the IP office directory"),
    "institutions/ip-offices/<int:pk>/staff/": Obj("institutions.IPOffice", public=True, pk="pk"),
    "institutions/orgs/<int:pk>/": Public("the directory of mediation organisations"),
    "institutions/orgs/<int:pk>/edit/": Obj("institutions.MediationOrg", public=True, pk="pk"),
    "institutions/orgs/<int:pk>/staff/": Obj("institutions.MediationOrg", public=True, pk="pk"),
    "roster/mediators/<int:pk>/": Public("the public roster (SIR 5)"),
    "roster/courts/<int:pk>/": Public("a court's public roster (SIR 5)"),
    "roster/courts/<int:pk>/pending/": Obj("institutions.Court", public=True, pk="pk"),
    "roster/entries/<int:pk>/": Public("the public roster (SIR 5)"),
    "roster/recommendations/<int:pk>/": Obj("roster.Recommendation", pk="pk"),
    "roster/manage/mediators/<int:pk>/": Obj("roster.Mediator", public=True, pk="pk"),
    "roster/manage/orgs/<int:pk>/": Obj("institutions.MediationOrg", public=True, pk="pk"),
    "roster/import/<int:pk>/": IMPORT,
    "roster/import/<int:pk>/progress/": IMPORT,
    "roster/import/<int:pk>/errors.xlsx": IMPORT,
    "roster/import/template/<str:kind>.xlsx": Public("blank import templates"),
    "cases/<int:pk>/": CASE,
    "cases/<int:pk>/step/<slug:name>/": Obj("cases.Case", pk="pk"),
    "cases/<int:pk>/mediator-choice/": CASE,
    "cases/<int:pk>/draft/": CASE,
    "cases/<int:pk>/consent/<int:party_id>/": Obj("cases.Party", pk="case_id", party_id="pk"),
    "cases/<int:pk>/agents/<int:party_id>/": Obj("cases.Party", pk="case_id", party_id="pk"),
    "cases/<int:pk>/agents/revoke/<int:agent_id>/": Obj(
        "cases.Agent", pk="party.case_id", agent_id="pk"
    ),
    "cases/<int:pk>/reach-out/<int:party_id>/": Obj("cases.Party", pk="case_id", party_id="pk"),
    "cases/invitations/<str:token>/": Capability("the invitation link sent to one party"),
    "cases/<int:pk>/files/": CASE,
    "cases/<int:pk>/files/<int:file_id>/": Obj("cases.CaseFile", pk="case_id", file_id="pk"),
    "cases/<int:pk>/messages/": CASE,
    "cases/<int:pk>/transcripts/": CASE,
    "cases/<int:pk>/transcripts/<int:transcript_id>/confirm/": Obj(
        "cases.Transcript", pk="case_id", transcript_id="pk"
    ),
    "cases/<int:pk>/transcripts/<int:transcript_id>/undisputed-facts/": Obj(
        "cases.Transcript", pk="case_id", transcript_id="pk"
    ),
    "cases/<int:pk>/identity-checks/": CASE,
    "cases/<int:pk>/disclosures/": CASE,
    "cases/<int:pk>/disclosures/<int:disclosure_id>/answer/": Obj(
        "cases.Disclosure", pk="case_id", disclosure_id="pk"
    ),
    "cases/<int:pk>/mediator-change/": CASE,
    "cases/<int:pk>/mediator-change/<int:request_id>/decide/": Obj(
        "cases.MediatorChangeRequest", pk="case_id", request_id="pk"
    ),
    "cases/<int:pk>/failure-report/": CASE,
    "cases/filed/<int:pk>/": Obj("cases.FiledCase", pk="pk"),
    "documents/verify/<str:code>/": Capability("the verification code printed on a document"),
    "documents/verify/<str:code>/pdf/": Capability("the code and the second secret printed on it"),
    "agreements/case/<int:case_id>/": CASE_ID,
    "agreements/case/<int:case_id>/draft/": CASE_ID,
    "agreements/case/<int:case_id>/term-preview/": CASE_ID,
    "agreements/<int:pk>/preview.pdf": AGREEMENT,
    "agreements/<int:pk>/open/": AGREEMENT,
    "agreements/<int:pk>/reopen/": AGREEMENT,
    "agreements/<int:pk>/code/": AGREEMENT,
    "agreements/<int:pk>/sign/": AGREEMENT,
    "agreements/<int:pk>/refuse/": AGREEMENT,
    "agreements/<int:pk>/confirm-offline/": AGREEMENT,
    "judicial/case/<int:case_id>/": CASE_ID,
    "judicial/case/<int:case_id>/apply/": CASE_ID,
    "judicial/applications/<int:pk>/": APPLICATION,
    "judicial/applications/<int:pk>/step/<slug:name>/": APPLICATION,
    "judicial/applications/<int:pk>/objection/": APPLICATION,
    "judicial/case/<int:case_id>/mediation-document/": CASE_ID,
    "judicial/case/<int:case_id>/mediation-document/issue/": CASE_ID,
    "judicial/case/<int:case_id>/mediation-document/code/": CASE_ID,
    "judicial/case/<int:case_id>/mediation-document/sign/": CASE_ID,
    "judicial/case/<int:case_id>/mediation-document/withdraw/": CASE_ID,
    "delivery/inbox/<int:pk>/": INBOX,
    "delivery/inbox/<int:pk>/document/": INBOX,
    "delivery/inbox/<int:pk>/acknowledge/": INBOX,
    "delivery/open/<str:token>/": Capability("the delivery link sent to one recipient"),
    "delivery/services/<int:pk>/": SERVICE,
    "delivery/services/<int:pk>/document/": SERVICE,
    "delivery/services/<int:pk>/proof/": SERVICE,
    "delivery/services/<int:pk>/paper/": SERVICE,
    "delivery/services/<int:pk>/request-paper/": SERVICE,
    "delivery/services/<int:pk>/send-again/": SERVICE,
    "delivery/services/<int:pk>/issue-proof/": SERVICE,
    "delivery/cases/<int:pk>/": CASE,
    "delivery/cases/<int:pk>/serve/": CASE,
    "delivery/cases/<int:pk>/export.zip": CASE,
    "delivery/addresses/<int:party_id>/": Obj("cases.Party", party_id="pk"),
    "meetings/case/<int:case_id>/propose/": CASE_ID,
    # A page of a case document shown in the room: the case file's own policy.
    "meetings/case/<int:case_id>/files/<int:file_id>/": Obj(
        "cases.CaseFile", case_id="case_id", file_id="pk"
    ),
    "meetings/<int:pk>/": MEETING,
    "meetings/<int:pk>/answer/": MEETING,
    "meetings/<int:pk>/reschedule/": MEETING,
    "meetings/<int:pk>/code/": MEETING,
    "meetings/<int:pk>/check/": MEETING,
    "meetings/<int:pk>/confirm/<int:participant_id>/": Obj(
        "meetings.Participant", pk="session_id", participant_id="pk"
    ),
    "meetings/<int:pk>/mode/<int:participant_id>/": Obj(
        "meetings.Participant", pk="session_id", participant_id="pk"
    ),
    "meetings/<int:pk>/room/": MEETING,
    "meetings/<int:pk>/judge/": MEETING,  # the mediator invites a judge of the case's court
    "meetings/<int:pk>/devices/": MEETING,  # the device check before the room
    "meetings/<int:pk>/recording/": MEETING,  # the mediator's upload of the recording
    # The mediator's chunks of one recording of that session, and its assembly at the stop.
    "meetings/<int:pk>/recording/<int:recording_id>/chunk/": Obj(
        "meetings.Recording", pk="session_id", recording_id="pk"
    ),
    "meetings/<int:pk>/recording/<int:recording_id>/finish/": Obj(
        "meetings.Recording", pk="session_id", recording_id="pk"
    ),
    # OMR 22: a party consents that the recording replaces the written transcript
    "meetings/recordings/<int:recording_id>/replacement/consent/": Obj(
        "meetings.Recording", recording_id="pk"
    ),
    "meetings/recordings/<int:recording_id>/replacement/withdraw/": Obj(
        "meetings.Recording", recording_id="pk"
    ),
    "cases/agent-invitations/<str:token>/": Capability("the invitation link sent to one agent"),
    "queues/<slug:which>/": Own("the caller's own court's queue: tests/cases/test_queues.py"),
    "queues/<slug:which>/export.xlsx": Own(
        "the caller's own court's queue: tests/cases/test_queues.py"
    ),
    "batches/<int:pk>/": BATCH,
    "batches/<int:pk>/delegate/": BATCH,
    "batches/<int:pk>/entrust/": BATCH,
    "batches/<int:pk>/assign/": BATCH,
    "batches/<int:pk>/contact/": BATCH,
    "batches/<int:pk>/agreements/": BATCH,
    "batches/conflicts/<int:pk>/withdraw/": Own(
        "a mediator's own declared conflicts: tests/batches/test_conflicts.py (404 otherwise)"
    ),
    # Courses are listed to every signed-in person; their organiser's pages may answer 403.
    "training/courses/<int:pk>/": COURSE_PUBLIC,
    "training/courses/<int:pk>/edit/": COURSE,
    "training/courses/<int:pk>/enrol/": COURSE_PUBLIC,
    "training/courses/<int:pk>/materials/": COURSE_PUBLIC,
    "training/courses/<int:pk>/sign-in/": COURSE_PUBLIC,
    "training/courses/<int:pk>/video/": COURSE,
    "training/materials/<int:pk>/": COURSE_PUBLIC,
    "training/sign-ins/<int:pk>/": Obj("training.SignInImport", pk="pk"),
    "training/enrolments/<int:pk>/": ENROLMENT,
    "training/enrolments/<int:pk>/beat/": ENROLMENT,
    "training/enrolments/<int:pk>/certificate/": ENROLMENT,
    "training/enrolments/<int:pk>/certificate.pdf": ENROLMENT,
    "training/supporting-files/<int:pk>/": Obj("training.SupportingFile", pk="pk"),
    "training/calls/<int:pk>/": Public("an IP office's public call for mediators"),
    "training/calls/<int:pk>/apply/": Public("an IP office's public call for mediators"),
    "training/applications/<int:pk>/": Obj("training.Application", pk="pk"),
    "training/applications/<int:pk>/<str:step>/": Obj("training.Application", pk="pk"),
    "figures/<slug:level>/<str:key>/": Own(
        "a scope of one's own: tests/evaluation/test_scope_pages.py (404 outside it)"
    ),
    "figures/survey/<int:case_id>/": CASE_ID,
    "figures/complaints/new/<int:case_id>/": CASE_ID,
    "figures/complaints/<int:pk>/": Obj("evaluation.Complaint", pk="pk"),
    "figures/complaints/<int:pk>/<slug:step>/": Obj("evaluation.Complaint", pk="pk"),
    "figures/schemes/<int:pk>/": Obj("evaluation.ScoringScheme", pk="pk"),
    "figures/schemes/<int:pk>/versions/<int:number>/publish/": Obj(
        "evaluation.ScoringVersion", pk="scheme_id", number="number"
    ),
    "figures/<slug:level>/<str:key>/notes/": Own(
        "a mediator or organisation within one of one's own office's or court's scope: "
        "tests/evaluation/test_feedback.py (404 outside it)"
    ),
    "reports/<int:pk>/": REPORT,
    "reports/<int:pk>/progress/": REPORT,
    "reports/<int:pk>/commentary/": REPORT,
    "reports/<int:pk>/issue/": REPORT,
    "reports/<int:pk>/report.pdf": REPORT,
    "reports/<int:pk>/report.xlsx": REPORT,
    "casebook/<int:pk>/": Public("the public library of typical cases"),
    "casebook/articles/<int:pk>/": Public("the public legal-education articles"),
    "casebook/desk/<int:pk>/": TYPICAL,
    "casebook/desk/<int:pk>/edit/": TYPICAL,
    "casebook/desk/<int:pk>/decide/": TYPICAL,
    "casebook/desk/<int:pk>/<slug:name>/": TYPICAL,
    # Non-editors are refused (403) by the role check before any look-up, for every id alike.
    "casebook/desk/articles/<int:pk>/": Obj("casebook.Article", public=True, pk="pk"),
    "casebook/desk/articles/<int:pk>/<slug:name>/": Obj("casebook.Article", pk="pk"),
    "subsidies/schemes/<int:pk>/": Obj("subsidies.Scheme", pk="pk"),
    "subsidies/schemes/<int:pk>/edit/": Obj("subsidies.Scheme", pk="pk"),
    "subsidies/sheets/<int:pk>/": Obj("subsidies.Sheet", pk="pk"),
    "subsidies/sheets/<int:pk>/sheet.xlsx": Obj("subsidies.Sheet", pk="pk"),
    "subsidies/sheets/<int:pk>/<str:step>/": Obj("subsidies.Sheet", pk="pk"),
}

A_CASE = Obj("cases.Case", case_id="pk")
AN_AGREEMENT = Obj("agreements.Agreement", agreement_id="pk")
MEDIATOR = Obj("roster.Mediator", public=True, pk="pk")

API: dict[str, object] = {
    "/api/v1/auth/tokens/{token_id}": Own(
        "DELETE names the caller's own token: tests/accounts/test_token_expiry.py"
    ),
    "/api/v1/regions/{code}": Public("reference data"),
    "/api/v1/courts/{court_id}": Public("the court directory"),
    "/api/v1/courts/{court_id}/staff": Obj("institutions.Court", public=True, court_id="pk"),
    "/api/v1/courts/{court_id}/settings": Obj("institutions.Court", public=True, court_id="pk"),
    "/api/v1/ip-offices/{office_id}": Public("the IP office directory"),
    "GET /api/v1/orgs/{org_id}": Public("the directory of mediation organisations"),
    "/api/v1/orgs/{org_id}": Obj("institutions.MediationOrg", public=True, org_id="pk"),
    "/api/v1/roster/courts/{court_id}/entries": Public("a court's public roster (SIR 5)"),
    "/api/v1/roster/maintained/mediators/{pk}": MEDIATOR,
    "/api/v1/roster/maintained/mediators/{pk}/status": MEDIATOR,
    "/api/v1/roster/recommendations/{pk}": Obj("roster.Recommendation", pk="pk"),
    "/api/v1/roster/recommendations/{pk}/admit": Obj("roster.Recommendation", pk="pk"),
    "/api/v1/roster/recommendations/{pk}/decline": Obj("roster.Recommendation", pk="pk"),
    "/api/v1/roster/entries/{pk}/measures": Obj("roster.RosterEntry", public=True, pk="pk"),
    "/api/v1/roster/imports/{pk}": IMPORT,
    "/api/v1/filed-cases/{filed_id}/entrust": Obj("cases.FiledCase", filed_id="pk"),
    "/api/v1/cases/{case_id}/parties/{party_id}/agent": Obj(
        "cases.Party", case_id="case_id", party_id="pk"
    ),
    "/api/v1/cases/{case_id}/agents/{agent_id}/revoke": Obj(
        "cases.Agent", case_id="party.case_id", agent_id="pk"
    ),
    "/api/v1/cases/{case_id}/mediator-change-requests/{request_id}/decision": Obj(
        "cases.MediatorChangeRequest", case_id="case_id", request_id="pk"
    ),
    "/api/v1/documents/verify/{code}": Capability("the verification code printed on a document"),
    "/api/v1/delivery/inbox/{item_id}/read": Obj("delivery.InboxItem", item_id="pk"),
    "/api/v1/delivery/inbox/{item_id}/acknowledge": Obj("delivery.InboxItem", item_id="pk"),
    "/api/v1/services/{service_id}": Obj("delivery.Service", service_id="pk"),
    "/api/v1/services/{service_id}/paper": Obj("delivery.Service", service_id="pk"),
    "/api/v1/parties/{party_id}/service-addresses": Obj("cases.Party", party_id="pk"),
    "/api/v1/agreements/{agreement_id}": AN_AGREEMENT,
    "/api/v1/agreements/{agreement_id}/open": AN_AGREEMENT,
    "/api/v1/agreements/{agreement_id}/code": AN_AGREEMENT,
    "/api/v1/agreements/{agreement_id}/sign": AN_AGREEMENT,
    "/api/v1/agreements/{agreement_id}/refuse": AN_AGREEMENT,
    "/api/v1/agreements/{agreement_id}/confirmation": AN_AGREEMENT,
    "/api/v1/confirmations/{app_id}": Obj("judicial.ConfirmationApplication", app_id="pk"),
    "/api/v1/confirmations/{app_id}/steps/{name}": Obj(
        "judicial.ConfirmationApplication", app_id="pk"
    ),
    "/api/v1/meetings/{session_id}/attendance": Obj("meetings.MeetingSession", session_id="pk"),
    "/api/v1/meetings/{session_id}/record": Obj("meetings.MeetingSession", session_id="pk"),
    "/api/v1/meetings/recordings/{recording_id}/replacement-consent": Obj(
        "meetings.Recording", recording_id="pk"
    ),
    "/api/v1/batches/{batch_id}": Obj("batches.Batch", batch_id="pk"),
    "/api/v1/batches/{batch_id}/matching": Obj("batches.Batch", batch_id="pk"),
    "/api/v1/batches/{batch_id}/delegate": Obj("batches.Batch", batch_id="pk"),
    "/api/v1/batches/{batch_id}/entrust": Obj("batches.Batch", batch_id="pk"),
    "/api/v1/batches/{batch_id}/assign": Obj("batches.Batch", batch_id="pk"),
    "/api/v1/cases/{case_id}/survey": Obj("cases.Case", case_id="pk"),
    "/api/v1/cases/{case_id}/complaints": Obj("cases.Case", case_id="pk"),
    "/api/v1/complaints/{complaint_id}": Obj("evaluation.Complaint", complaint_id="pk"),
    "/api/v1/complaints/{complaint_id}/{step}": Obj("evaluation.Complaint", complaint_id="pk"),
    "/api/v1/performance/{level}/{key}": Own(
        "a scope of one's own: tests/evaluation/test_feedback.py (404 outside it)"
    ),
    "/api/v1/figures/{level}/{key}": Own(
        "a scope of one's own: tests/evaluation/test_scope_pages.py (404 outside it)"
    ),
    "/api/v1/casebook/cases/{case_id}": Public("the public library of typical cases"),
    "/api/v1/subsidies/schemes/{scheme_id}": Obj("subsidies.Scheme", scheme_id="pk"),
    "/api/v1/subsidies/sheets/{sheet_id}": Obj("subsidies.Sheet", sheet_id="pk"),
    "/api/docking/v1/applications/{reference}": Own(
        "a partner names its own submissions: tests/docking/test_partners_api.py::"
        "test_the_status_by_reference_and_another_partners_reference_is_404"
    ),
}
# Every /api/v1/cases/{case_id}… path names the case alone.
CASE_PATHS_PREFIX = "/api/v1/cases/{case_id}"
CONSTANTS = {"name": "accept", "kind": "mediators", "step": "accept"}
