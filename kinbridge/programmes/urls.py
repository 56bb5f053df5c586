"""Pages of the programmes app; each area keeps its own patterns in ``views/<area>.py``."""

from kinbridge.programmes.views import attendance, projects, reports, sessions

app_name = "programmes"

urlpatterns = [
    *projects.urlpatterns,
    *sessions.urlpatterns,
    *attendance.urlpatterns,
    *reports.urlpatterns,
]
