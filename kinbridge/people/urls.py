from django.urls import path

from kinbridge.people import rights_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("duplicates/", rights_views.duplicate_list, name="duplicates"),
    path("retention/", rights_views.retention_list, name="retention"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "<int:pk>/relationships/<int:link_pk>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path("<int:pk>/roles/", views.role_add, name="role_add"),
    path("<int:pk>/share/", views.person_share, name="share"),
    path("<int:pk>/roles/<int:role_pk>/end/", views.role_end, name="role_end"),
    path("<int:pk>/merge/", rights_views.person_merge, name="merge"),
    path("<int:pk>/export/", rights_views.person_export, name="export"),
    path("<int:pk>/export.json", rights_views.person_export_json, name="export_json"),
    path("<int:pk>/export.pdf", rights_views.person_export_pdf, name="export_pdf"),
    path("<int:pk>/erase/", rights_views.person_erase, name="erase"),
]
