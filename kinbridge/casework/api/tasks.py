"""Casework API: tasks. ``ROUTES`` (prefix, viewset, basename) go to the router,
``PATHS`` (plain views) under /api/v1/; kinbridge/api/urls.py collects both."""

ROUTES: list = []
PATHS: list = []
