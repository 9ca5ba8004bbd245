"""Code lists of the labor ledger (DESIGN.md, employment). Stable English codes, Chinese labels
through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Capacity(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary labor")
    SKILLED = "skilled", _("Skilled labor")
    WEAK = "weak", _("Weak or half labor")
    LOST = "lost", _("Lost labor capacity")
    NONE = "none", _("No labor capacity")


# Capacities that make a person a laborer (劳动力); the other two are not counted.
LABOR_CAPACITIES = (Capacity.ORDINARY, Capacity.SKILLED, Capacity.WEAK)


class Skill(models.TextChoices):
    NONE = "none", _("No vocational skill")
    BASIC = "basic", _("Basic skill")
    CERTIFIED = "certified", _("Certified skill")


class LanguageLevel(models.TextChoices):
    """National common language (国家通用语言) level."""

    NONE = "none", _("Does not speak it")
    BASIC = "basic", _("Basic conversation")
    FLUENT = "fluent", _("Fluent")


class Willingness(models.TextChoices):
    LOCAL = "local", _("Work locally or nearby")
    AWAY = "away", _("Work away from home")
    BUSINESS = "business", _("Start a business")
    NONE = "none", _("No wish to work for now")


class TrainingIntention(models.TextChoices):
    WANTS = "wants", _("Wants training")
    NO = "no", _("No training wanted")


class Channel(models.TextChoices):
    """The six employment channels of the Kashgar report (seeds/000, §二(一))."""

    AGRICULTURE = "agriculture", _("Agricultural restructuring")
    LABOR_EXPORT = "labor_export", _("Organised work away from home")
    PARK_WORKSHOP = "park_workshop", _("Industrial park or village workshop")
    BUSINESS = "business", _("Own business")
    LOCAL_TEMPORARY = "local_temporary", _("Local temporary work")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare post")


class JobType(models.TextChoices):
    """Job types of the Tacheng report's tables (seeds/001, §三)."""

    BORDER_GUARD = "border_guard", _("Border guard")
    AUXILIARY_POLICE = "auxiliary_police", _("Auxiliary police")
    SECURITY = "security", _("Security guard")
    CLEANER = "cleaner", _("Cleaner or sanitation worker")
    FOREST_RANGER = "forest_ranger", _("Forest ranger")
    LIVESTOCK = "livestock", _("Livestock farming")
    CROPS = "crops", _("Crop farming")
    HERDING = "herding", _("Herding for others")
    WAGE_WORK = "wage_work", _("Wage work")
    TRADE = "trade", _("Small trade")
    PUBLIC_SECTOR = "public_sector", _("Government or public institution")
    FLEXIBLE = "flexible", _("Flexible work")
    OTHER = "other", _("Other")


class Place(models.TextChoices):
    """Where the job is, from the person's county ("province" includes autonomous regions)."""

    COUNTY = "county", _("Within the county")
    PROVINCE = "province", _("Elsewhere in the province")
    OUTSIDE = "outside", _("Outside the province")


class Industry(models.TextChoices):
    """The sections of GB/T 4754-2017 (国民经济行业分类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information technology services")  # noqa: E741 (the standard's letter)
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Research and technical services")
    N = "N", _("Water, environment and public facilities")
    O = "O", _("Resident and repair services")  # noqa: E741
    P = "P", pgettext_lazy("industry", "Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration and social organisations")
    T = "T", _("International organisations")


class MatchResult(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Declined")
    NOT_SUITABLE = "not_suitable", _("Not suitable")


class EmploymentStatus(models.TextChoices):
    """就业状态 in the labor ledger's workbook: whether the person holds a main job."""

    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Not employed")
