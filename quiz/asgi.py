"""For an ASGI server (e.g. gunicorn -k uvicorn_worker.UvicornWorker): a live game's
streams then wait on an event loop and push each change at once. `make run` still
serves WSGI, where the streams fall back to asking every LIVE_WSGI_RECONNECT_MS."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")
application = get_asgi_application()
