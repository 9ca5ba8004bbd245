"""Code lists of the labor ledger (DESIGN.md, employment). Stable English codes, Chinese labels
through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from resettle.codelists import declare_aliases


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
    """The six employment channels of the Kashgar report (seeds/000, §二(三))."""

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


# What cadres write for these lists in their sheets (resettle.codelists): read as the label.
declare_aliases(
    Capacity,
    {
        Capacity.ORDINARY: ("普通", "劳动力", "有劳动力", "一般劳动力", "普通劳力", "强劳动力"),
        Capacity.SKILLED: ("技能", "技能劳力", "技术劳动力"),
        Capacity.WEAK: ("弱劳动力", "半劳动力", "弱劳力", "半劳力", "弱或半劳动力"),
        Capacity.LOST: ("丧失劳动能力", "丧失", "丧失劳力"),
        Capacity.NONE: ("无劳动能力", "无", "无劳力", "没有劳动力"),
    },
)
declare_aliases(
    Skill,
    {
        Skill.NONE: ("无", "无技能", "没有", "没有技能", "无职业技能"),
        Skill.BASIC: ("一般", "一般技能", "有技能", "有一定技能"),
        Skill.CERTIFIED: ("有证书", "持证", "技能证书", "有技能证", "持有技能证书"),
    },
)
declare_aliases(
    LanguageLevel,
    {
        LanguageLevel.NONE: ("不会", "不懂", "听不懂", "不会说", "不通"),
        LanguageLevel.BASIC: ("一般", "简单交流", "会简单交流", "基本会", "简单", "较好"),
        LanguageLevel.FLUENT: ("精通", "流利", "会", "好", "良好", "熟练掌握"),
    },
)
declare_aliases(
    Willingness,
    {
        Willingness.LOCAL: ("就地就近", "本地就业", "就近就业", "就地就业", "就近务工", "就地务工"),
        Willingness.AWAY: ("外出", "外出就业", "外出打工", "外出务工就业"),
        Willingness.BUSINESS: ("创业", "自主创业就业"),
        Willingness.NONE: ("无", "暂无", "没有", "否", "无意愿", "暂无意愿", "无就业意愿"),
    },
)
declare_aliases(
    TrainingIntention,
    {
        TrainingIntention.WANTS: ("有", "是", "想参加", "愿意", "需要", "有意向", "需要培训"),
        TrainingIntention.NO: ("无", "否", "没有", "不愿意", "不需要", "无意向", "暂无"),
    },
)
declare_aliases(
    Channel,
    {
        Channel.AGRICULTURE: ("农业产业结构调整", "农业结构调整", "农业产业"),
        Channel.LABOR_EXPORT: ("外出务工", "转移就业", "劳务输出", "外出务工输出就业"),
        Channel.PARK_WORKSHOP: ("园区企业就业", "车间就业", "乡村生产车间", "园区企业", "扶贫车间"),
        Channel.BUSINESS: ("创业", "自主创业就业"),
        Channel.LOCAL_TEMPORARY: ("就近务工", "临时务工", "就地就近务工", "就近临时务工"),
        Channel.PUBLIC_WELFARE: ("公益岗位", "公益性岗位就业", "公益岗"),
    },
)
declare_aliases(
    JobType,
    {
        JobType.AUXILIARY_POLICE: ("辅警", "协警"),
        JobType.CLEANER: ("保洁", "环卫", "保洁员", "环卫工"),
        JobType.HERDING: ("代牧", "放牧"),
        JobType.TRADE: ("个体", "经商", "个体户"),
        JobType.PUBLIC_SECTOR: ("机关事业", "事业单位", "机关"),
        JobType.SECURITY: ("保安员",),
        JobType.FOREST_RANGER: ("生态护林员",),
    },
)
declare_aliases(
    Place,
    {
        Place.COUNTY: ("本县", "县内务工", "县内就业"),
        Place.PROVINCE: ("区内县外", "疆内县外", "省内", "区内", "疆内"),
        Place.OUTSIDE: ("区外", "疆外", "外省", "省外务工"),
    },
)
declare_aliases(
    MatchResult,
    {
        MatchResult.PENDING: ("待定", "未反馈"),
        MatchResult.HIRED: ("录用", "已上岗", "上岗"),
        MatchResult.DECLINED: ("放弃", "拒绝"),
        MatchResult.NOT_SUITABLE: ("不符合", "不合适"),
    },
)
declare_aliases(
    EmploymentStatus,
    {
        EmploymentStatus.EMPLOYED: ("就业", "在岗", "是", "务工", "在职"),
        EmploymentStatus.UNEMPLOYED: ("失业", "无业", "待业", "否", "未就业人员"),
    },
)
