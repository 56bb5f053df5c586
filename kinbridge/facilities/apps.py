from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "kinbridge.facilities"
    verbose_name = _("Facilities")
