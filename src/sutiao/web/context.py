from django.conf import settings


def navigation(request):
    return {"site_name": "诉调 Sutiao", "debug": settings.DEBUG}
