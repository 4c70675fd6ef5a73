"""One ASGI application for HTTP and WebSocket (Channels)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from sutiao.meetings.routing import websocket_urlpatterns as meetings_ws  # noqa: E402
from sutiao.web.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + meetings_ws))
        ),
    }
)
