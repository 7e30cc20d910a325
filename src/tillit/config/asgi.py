"""The ASGI application uvicorn serves.

Tillit's views are synchronous. Django's own ASGI handler gives every request a thread of its own; under
a burst (a hall of phones sending their notes within a minute) hundreds of threads then queue for the GIL
and for the database, each with a fresh connection, and SQLite's writers time out. Here every request's
synchronous code runs on one thread per process instead, one request after the other over one persistent
connection, as a classic synchronous worker does; server-sent event streams still run concurrently on the
event loop. Scale out with more processes (PostgreSQL and Redis), see docs/operator-guide.md.
"""

import os
from typing import Any

import django
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.config.settings")


class OneThreadASGIHandler(ASGIHandler):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # Without a ThreadSensitiveContext, asgiref runs thread-sensitive code on its one shared thread.
        await self.handle(scope, receive, send)


django.setup(set_prefix=False)
application = OneThreadASGIHandler()
