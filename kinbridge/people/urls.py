from django.urls import path

from kinbridge.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "<int:pk>/relationships/<int:link_pk>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path("<int:pk>/roles/", views.role_add, name="role_add"),
    path("<int:pk>/roles/<int:role_pk>/end/", views.role_end, name="role_end"),
]
