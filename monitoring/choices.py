"""Code lists of return-to-poverty monitoring (DESIGN.md, monitoring; Yuncheng plan seeds/002
§三(一)). Stable English codes, Chinese labels through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from resettle.codelists import declare_aliases


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


class AlertRule(models.TextChoices):
    """The early-warning rules (预警规则, monitoring.rules registers one query per code): what
    raised an alert (Alert.rule)."""

    BELOW_LINE = "below_line", _("Income below the line")
    WARNING_BAND = "warning_band", _("Income within the warning band")
    INCOME_DROP = "income_drop", _("Income down on the year before")
    ZERO_EMPLOYMENT = "zero_employment", _("Zero-employment household")
    NEW_CONDITION = (
        "new_condition",
        _("Member newly recorded with serious illness or disability"),
    )
    MEDICAL_EXPENSE = "medical_expense", _("Large rigid medical expenses")
    INCIDENT = "incident", _("Natural disaster or accident")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CASE = "case", _("Case opened")
    DISMISSED = "dismissed", _("Dismissed after checking")


# What cadres write for these lists in their sheets (resettle.codelists): read as the label.
declare_aliases(
    Category,
    {
        Category.UNSTABLE: ("脱贫不稳定", "脱贫监测户", "不稳定户"),
        Category.MARGINAL: ("边缘易致贫", "边缘户", "边缘易致贫户"),
        Category.SUDDEN: ("突发严重困难", "突发困难户", "严重困难户"),
    },
)
declare_aliases(
    Risk,
    {
        Risk.ILLNESS: ("因病致贫", "因病返贫", "病", "疾病"),
        Risk.DISABILITY: ("因残致贫", "因残返贫", "残疾"),
        Risk.SCHOOLING: ("因学致贫", "因学返贫", "上学"),
        Risk.DISASTER: ("因灾致贫", "因灾返贫", "自然灾害"),
        Risk.ACCIDENT: ("因意外事故", "意外事故", "意外"),
        Risk.INDUSTRY: ("产业项目失败", "产业失败风险"),
        Risk.WORK: ("务工就业不稳定", "就业不稳", "务工不稳"),
        Risk.LABOR: ("缺劳力", "缺乏劳动力", "缺少劳动力"),
        Risk.HOUSING: ("住房安全问题", "住房不安全"),
        Risk.WATER: ("饮水安全问题", "饮水不安全"),
        Risk.OTHER: ("其它",),
    },
)
declare_aliases(
    FoundThrough,
    {
        FoundThrough.DECLARED: ("自主申报", "农户申报", "申报"),
        FoundThrough.CADRE: ("干部排查", "排查", "入户排查"),
        FoundThrough.SCREENING: ("部门筛查", "筛查预警", "部门预警"),
        FoundThrough.PETITION: ("信访", "舆情", "信访舆情"),
    },
)
declare_aliases(
    MeasureKind,
    {
        MeasureKind.INDUSTRY: ("产业", "产业帮扶"),
        MeasureKind.EMPLOYMENT: ("就业", "就业扶持"),
        MeasureKind.HEALTH: ("健康", "医疗救助", "健康扶贫"),
        MeasureKind.EDUCATION: ("教育", "教育资助"),
        MeasureKind.HOUSING: ("住房",),
        MeasureKind.WATER: ("饮水",),
        MeasureKind.SAFETY_NET: ("兜底保障", "社会保障", "低保兜底"),
        MeasureKind.MICROCREDIT: ("小额信贷帮扶", "扶贫小额信贷"),
        MeasureKind.PUBLIC_POST: ("公益岗位", "公益岗"),
        MeasureKind.CONSUMPTION: ("消费扶贫",),
        MeasureKind.OTHER: ("其它",),
    },
)
