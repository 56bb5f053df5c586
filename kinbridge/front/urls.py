from django.urls import path

from kinbridge.front import views

app_name = "front"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/language/", views.set_language, name="set_language"),
]
