"""The ASGI application uvicorn serves.

Tillit's views are synchronous. Django's own ASGI handler gives every request a thread of its own; under
a burst (a hall of phones sending their notes within a minute) hundreds of threads then queue for the GIL
and for the database, each with a fresh connection, and SQLite's writers time out. Here every request's
synchronous code runs on one thread per process instead, one request after the other over one persistent
connection, as a classic synchronous worker does; server-sent event streams still run concurrently on the
event loop. Scale out with more processes (PostgreSQL and Redis), see docs/operator-guide.md.

The middleware runs as one synchronous chain, the one WSGI would build, entered with one hop from the event
loop to that thread. Django's asynchronous chain would hop between the event loop and the thread for each
synchronous middleware method (a dozen times a request), and each hop waits for an event loop that is busy
with thousands of live streams.
"""

import os
from typing import Any

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.config.settings")


class OneThreadASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        return response

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # Without a ThreadSensitiveContext, asgiref runs thread-sensitive code on its one shared thread.
        await self.handle(scope, receive, send)


django.setup(set_prefix=False)
application = OneThreadASGIHandler()
