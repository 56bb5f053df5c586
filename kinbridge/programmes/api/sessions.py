"""API: sessions."""

from __future__ import annotations

# (prefix, viewset, basename) registered on the /api/v1/ router.
ROUTES: list = []
# Extra paths under /api/v1/ (django.urls.path objects, named).
PATHS: list = []
