"""Pages of the casework app; each area keeps its own patterns in ``views/<area>.py``."""

from kinbridge.casework.views import (
    cases,
    dashboards,
    notes,
    plan,
    referrals,
    risks,
    services,
    tasks,
)

app_name = "casework"

urlpatterns = [
    *cases.urlpatterns,
    *plan.urlpatterns,
    *services.urlpatterns,
    *notes.urlpatterns,
    *referrals.urlpatterns,
    *tasks.urlpatterns,
    *risks.urlpatterns,
    *dashboards.urlpatterns,
]
