"""The ASGI application `make run` serves (gunicorn's uvicorn worker).

Django's own ASGI handler runs each request's sync code in a thread of its own
(a new thread-sensitive context a request), and each new thread opens a new
database connection; its async-capable middleware hops between the event loop
and that thread twice a middleware. Both cost a sync view several times what a
sync worker pays. Every view here but one is sync, so the middleware runs in
its sync mode, all of a request's sync code runs in the process's one
thread-sensitive thread (its database connection persists, as in a sync
worker), and a request costs one hop there and back. The one async view, a live
game's event stream, still holds its connection open on the event loop: that is
what the ASGI worker is for.
"""

import os

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")


class Handler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP only, not {scope['type']}.")
        # No ThreadSensitiveContext: thread-sensitive code shares the process's thread.
        await self.handle(scope, receive, send)


def make_application():
    import django

    django.setup(set_prefix=False)
    return Handler()


application = make_application()
