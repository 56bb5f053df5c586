from django.urls import path

from kinbridge.custody import views

app_name = "custody"

urlpatterns = [
    path("planning/", views.planning, name="planning"),
    path("people/<int:pk>/episodes/", views.episode_create, name="episode_create"),
    path("people/<int:pk>/children/", views.stay_create, name="stay_create"),
    path("episodes/<int:pk>/", views.episode_update, name="episode_update"),
    path("episodes/<int:pk>/transfer/", views.episode_transfer, name="episode_transfer"),
    path("episodes/<int:pk>/release/", views.episode_release, name="episode_release"),
    path("stays/<int:pk>/end/", views.stay_end, name="stay_end"),
]
