"""Casework pages: dashboards. (Patterns of this area, collected by casework/urls.py.)"""

urlpatterns: list = []
