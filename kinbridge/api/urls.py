from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kinbridge.accounts import api as accounts_api
from kinbridge.audit import api as audit_api
from kinbridge.casework.api import CASEWORK_APIS
from kinbridge.consents import api as consents_api
from kinbridge.custody import api as custody_api
from kinbridge.facilities import api as facilities_api
from kinbridge.partners import api as partners_api
from kinbridge.people import api as people_api
from kinbridge.programmes.api import attendance as attendance_api
from kinbridge.programmes.api import projects as projects_api
from kinbridge.programmes.api import reports as reports_api
from kinbridge.programmes.api import sessions as sessions_api

PROGRAMME_APIS = (projects_api, sessions_api, attendance_api, reports_api)
AREA_APIS = PROGRAMME_APIS + CASEWORK_APIS

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", accounts_api.TeamViewSet, basename="team")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("audit-events", audit_api.AuditEventViewSet, basename="auditevent")
router.register("people", people_api.PersonViewSet, basename="person")
router.register("person-roles", people_api.PersonRoleViewSet, basename="personrole")
router.register("relationships", people_api.RelationshipViewSet, basename="relationship")
router.register("consents", consents_api.ConsentViewSet, basename="consent")
router.register("facilities", facilities_api.FacilityViewSet, basename="facility")
router.register("partners", partners_api.PartnerViewSet, basename="partner")
router.register("custody-episodes", custody_api.CustodyEpisodeViewSet, basename="custodyepisode")
router.register("child-residences", custody_api.ChildResidenceViewSet, basename="childresidence")
for module in AREA_APIS:
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("v1/me/", accounts_api.MeView.as_view(), name="me"),
    path("v1/planning/", custody_api.PlanningView.as_view(), name="planning"),
    *(path(f"v1/{p.pattern}", p.callback, name=p.name) for m in AREA_APIS for p in m.PATHS),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets one inline style; allow inline styles (never scripts) on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
