from django.urls import path

from . import replacement_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("case/<int:case_id>/propose/", views.propose, name="propose"),
    path("case/<int:case_id>/files/<int:file_id>/", views.shared_page, name="shared_page"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/code/", views.request_code, name="code"),
    path("<int:pk>/check/", views.check_code, name="check"),
    path("<int:pk>/confirm/<int:participant_id>/", views.confirm_participant, name="confirm"),
    path("<int:pk>/mode/<int:participant_id>/", views.set_mode, name="mode"),
    path("<int:pk>/judge/", views.invite_judge, name="invite_judge"),
    path("<int:pk>/room/", views.room, name="room"),
    path("livekit/webhook/", views.livekit_webhook, name="livekit_webhook"),
    path("<int:pk>/devices/", views.devices, name="devices"),
    path("<int:pk>/recording/", views.upload_recording, name="recording"),
    path(
        "<int:pk>/recording/<int:recording_id>/chunk/",
        views.recording_chunk,
        name="recording_chunk",
    ),
    path(
        "<int:pk>/recording/<int:recording_id>/finish/",
        views.recording_finish,
        name="recording_finish",
    ),
    path(
        "recordings/<int:recording_id>/replacement/consent/",
        replacement_views.consent,
        name="replacement_consent",
    ),
    path(
        "recordings/<int:recording_id>/replacement/withdraw/",
        replacement_views.withdraw,
        name="replacement_withdraw",
    ),
]
