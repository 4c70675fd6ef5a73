from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("mine/", views.case_list, {"which": "party"}, name="mine"),
    path("queue/", views.case_list, {"which": "clerk"}, name="queue"),
    path("entrusted/", views.case_list, {"which": "judge"}, name="entrusted"),
    path("incoming/", views.case_list, {"which": "org"}, name="incoming"),
    path("assigned/", views.case_list, {"which": "mediator"}, name="assigned"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("<int:pk>/mediator-choice/", views.choose_mediator, name="choose_mediator"),
    path("<int:pk>/draft/", views.edit_draft, name="edit_draft"),
    path("<int:pk>/consent/<int:party_id>/", views.consent, name="consent"),
    path("<int:pk>/agents/<int:party_id>/", views.name_agent, name="name_agent"),
    path("<int:pk>/agents/revoke/<int:agent_id>/", views.revoke_agent, name="revoke_agent"),
    path("<int:pk>/reach-out/<int:party_id>/", views.reach_out, name="reach_out"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("agent-invitations/<str:token>/", views.agent_invitation, name="agent_invitation"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("<int:pk>/files/<int:file_id>/", views.download, name="download"),
    path("<int:pk>/messages/", views.post_message, name="message"),
    path("<int:pk>/transcripts/", views.record_transcript, name="transcript"),
    path(
        "<int:pk>/transcripts/<int:transcript_id>/confirm/",
        views.confirm_transcript,
        name="confirm_transcript",
    ),
    path(
        "<int:pk>/transcripts/<int:transcript_id>/undisputed-facts/",
        views.record_undisputed_facts,
        name="undisputed_facts",
    ),
    path("<int:pk>/identity-checks/", views.identity_check, name="identity_check"),
    path("<int:pk>/disclosures/", views.disclose, name="disclose"),
    path(
        "<int:pk>/disclosures/<int:disclosure_id>/answer/",
        views.answer_disclosure,
        name="answer_disclosure",
    ),
    path("<int:pk>/mediator-change/", views.request_change, name="request_change"),
    path(
        "<int:pk>/mediator-change/<int:request_id>/decide/",
        views.decide_change,
        name="decide_change",
    ),
    path("<int:pk>/failure-report/", views.report_failure, name="report_failure"),
    path("filed/register/", views.register_filed, name="register_filed"),
    path("filed/entrust/", views.entrust, name="entrust"),
    path("filed/<int:pk>/", views.filed_detail, name="filed"),
]
