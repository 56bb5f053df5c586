from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "kinbridge.casework"
    verbose_name = _("Casework")

    def ready(self):
        # Casework's KPI indicator kinds register with the programmes engine, and its
        # background tasks with the task queue.
        from kinbridge.casework import indicators, tasks  # noqa: F401
