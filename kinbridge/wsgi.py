"""WSGI entry point for gunicorn: ``gunicorn kinbridge.wsgi``."""

import os
import sys

from kinbridge.lib.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinbridge.settings")

try:
    __import__(os.environ["DJANGO_SETTINGS_MODULE"])
except ConfigError as exc:
    sys.stderr.write(f"kinbridge: configuration error: {exc}\n")
    sys.exit(2)

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
