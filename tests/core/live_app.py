"""A test-only URL configuration around tillit.core.live, served by real uvicorn processes in test_live.py.

Not part of the product: the dialogue module will have its own views with permission checks.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tillit.core import live


async def events(request: HttpRequest, channel: str) -> StreamingHttpResponse:
    return live.sse_response(request, channel)


def hall_events(request: HttpRequest, channel: str, table: str) -> StreamingHttpResponse:
    """A synchronous view (as with login_required) streaming two channels over one connection."""
    return live.sse_response(request, [channel, f"{channel}.{table}"])


@csrf_exempt
def publish(request: HttpRequest, channel: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    body = json.loads(request.body)
    event_id = live.publish(channel, body["event"], body["data"])
    return JsonResponse({"id": event_id})


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("live/ping", ping),
    path("live/<str:channel>/events", events),
    path("live/<str:channel>/tables/<str:table>/events", hall_events),
    path("live/<str:channel>/publish", publish),
]
