"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What start-up made (modules, settings, URL patterns, middleware) lives as long as the
# process: frozen out of the garbage collector's way, a full collection no longer
# traces its tens of thousands of objects every so many requests.
gc.collect()
gc.freeze()
