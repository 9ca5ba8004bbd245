"""Code lists of industry support (DESIGN.md, industry; Kashgar report seeds/000 §二(二), Yuncheng
plan seeds/002 §三(二)(三)). Stable English codes, Chinese labels through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PRIMARY = "primary", _("Primary industry")
    SECONDARY = "secondary", _("Secondary industry")
    TERTIARY = "tertiary", _("Tertiary industry")


class Kind(models.TextChoices):
    CROPS = "crops", _("Specialty crops")
    FACILITY = "facility", _("Greenhouses and facility farming")
    LIVESTOCK = "livestock", _("Livestock quarters and sheds")
    WORKSHOP = "workshop", _("Village workshop")
    SHOPS = "shops", _("Shops and storefronts")
    MARKET = "market", _("Farmers' market")
    ECOMMERCE = "ecommerce", _("E-commerce")
    TOURISM = "tourism", _("Rural tourism")
    PROCESSING = "processing", _("Farm produce processing")
    COLD_CHAIN = "cold_chain", _("Cold chain and logistics")
    OTHER = "other", _("Other")


class OperatorType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    ENTERPRISE = "enterprise", _("Enterprise")
    COLLECTIVE = "collective", _("Village collective")
    INDIVIDUAL = "individual", _("Individual")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BUILDING = "building", _("Under construction")
    OPERATING = "operating", _("Operating")
    STOPPED = "stopped", _("Stopped")


class FundSource(models.TextChoices):
    CENTRAL = "central", _("Central government")
    PROVINCIAL = "provincial", _("Province")
    PREFECTURAL = "prefectural", _("Prefecture or city")
    COUNTY = "county", _("County")
    RELOCATION = "relocation", _("Relocation follow-up support funds")
    AGRICULTURE = "agriculture", _("Integrated agriculture-related funds")
    EAST_WEST = "east_west", _("East-west cooperation")
    SOCIAL = "social", _("Social capital")
    LOAN = "loan", _("Bank loans")
    OTHER = "other", _("Other")


class LinkKind(models.TextChoices):
    """How a household benefits from a project (利益联结)."""

    WORK = "work", _("Work")
    DIVIDEND = "dividend", _("Dividends")
    LAND = "land", _("Land transfer")
    CUSTODY = "custody", _("Custody")
    ORDER = "order", _("Purchase orders")
    CONTRACT = "contract", _("Facility contracting")
