"""Pages: sessions."""

from __future__ import annotations

urlpatterns: list = []
