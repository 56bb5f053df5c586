"""Casework pages: notes. (Patterns of this area, collected by casework/urls.py.)"""

urlpatterns: list = []
