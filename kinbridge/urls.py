from django.urls import include, path

from kinbridge.front import views as front_views

urlpatterns = [
    path("", include("kinbridge.front.urls")),
    path("accounts/", include("kinbridge.accounts.urls")),
    path("audit/", include("kinbridge.audit.urls")),
    path("people/", include("kinbridge.people.urls")),
    path("consents/", include("kinbridge.consents.urls")),
    path("facilities/", include("kinbridge.facilities.urls")),
    path("partners/", include("kinbridge.partners.urls")),
    path("custody/", include("kinbridge.custody.urls")),
    path("programmes/", include("kinbridge.programmes.urls")),
    path("casework/", include("kinbridge.casework.urls")),
    path("api/", include("kinbridge.api.urls")),
]

handler403 = front_views.permission_denied
handler404 = front_views.page_not_found
