"""Code lists of return-to-poverty monitoring (DESIGN.md, monitoring; Yuncheng plan seeds/002
§三(一)). Stable English codes, Chinese labels through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    UNSTABLE = "unstable", _("Lifted but unstable household")
    MARGINAL = "marginal", _("Marginal household at risk")
    SUDDEN = "sudden", _("Household in sudden severe hardship")


class Risk(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling costs")
    DISASTER = "disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    INDUSTRY = "industry", _("Failed business or farming")
    WORK = "work", _("Unstable work")
    LABOR = "labor", _("Lack of labor")
    HOUSING = "housing", _("Unsafe housing")
    WATER = "water", _("Unsafe drinking water")
    OTHER = "other", _("Other")


class FoundThrough(models.TextChoices):
    """How a household at risk was found (Yuncheng plan §三(一))."""

    DECLARED = "declared", _("Declared by the household")
    CADRE = "cadre", _("Found by local cadres")
    SCREENING = "screening", _("Departmental screening and early warning")
    PETITION = "petition", _("Petitions and public opinion")


class Status(models.TextChoices):
    """The steps of a case, in order (DESIGN.md): 预警 → 入户核实 → 民主评议与公示 → 县级审定
    (纳入监测 or 未纳入) → 帮扶中 → 风险消除."""

    ALERT = "alert", _("Early warning")
    VERIFIED = "verified", _("Home visit done")
    NOTICE = "notice", _("Review and public notice")
    MONITORED = "monitored", _("Included in monitoring")
    REJECTED = "rejected", _("Not included")
    ASSISTING = "assisting", _("Receiving assistance")
    ELIMINATED = "eliminated", _("Risk eliminated")


# Cases that are over: a household may have a new one.
CLOSED = (Status.REJECTED, Status.ELIMINATED)
# Cases counted as monitored (identified, not yet eliminated).
IDENTIFIED = (Status.MONITORED, Status.ASSISTING)


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry support")
    EMPLOYMENT = "employment", _("Employment support")
    HEALTH = "health", _("Health support")
    EDUCATION = "education", _("Education support")
    HOUSING = "housing", _("Housing support")
    WATER = "water", _("Drinking water")
    SAFETY_NET = "safety_net", _("Comprehensive social safety net")
    MICROCREDIT = "microcredit", _("Microcredit")
    PUBLIC_POST = "public_post", _("Public-welfare post")
    CONSUMPTION = "consumption", _("Consumption support")
    OTHER = "other", _("Other")


class IncidentKind(models.TextChoices):
    DISASTER = "disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CASE = "case", _("Case opened")
    DISMISSED = "dismissed", _("Dismissed after checking")
