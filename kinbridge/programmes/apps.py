from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "kinbridge.programmes"
    verbose_name = _("Programmes and activities")

    def ready(self):
        # The built-in indicator kinds register themselves on import.
        from kinbridge.programmes import indicators  # noqa: F401
