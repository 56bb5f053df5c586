from django.urls import path

from kinbridge.consents import views

app_name = "consents"

urlpatterns = [
    path("people/<int:pk>/new/", views.consent_create, name="create"),
    path("<int:pk>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<int:pk>/evidence/", views.evidence_download, name="evidence"),
    path("<int:pk>/evidence/upload/", views.evidence_attach, name="attach_evidence"),
]
