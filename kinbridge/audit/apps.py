from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kinbridge.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from kinbridge.audit import receivers  # noqa: F401  (connects the receivers)
