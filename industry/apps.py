"""Industry support projects (产业项目), workshops, benefit links and dividends."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    name = "industry"
    verbose_name = _("Industry support")
