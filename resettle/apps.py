from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ResettleConfig(AppConfig):
    name = "resettle"
    verbose_name = _("Shared kernel")

    def ready(self):
        # Each app's indicators.py registers its indicators with the catalogue.
        autodiscover_modules("indicators")
        # Each app's excel.py registers its ledgers' workbooks (resettle.excel.LEDGERS).
        autodiscover_modules("excel")
