from django.urls import path

from .consumers import PingConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/meetings/ping/", PingConsumer.as_asgi()),
    path("ws/meetings/<int:session_id>/", RoomConsumer.as_asgi()),
]
