"""Code lists of industry support (DESIGN.md, industry; Kashgar report seeds/000 §二(二), Yuncheng
plan seeds/002 §三(二)(三)). Stable English codes, Chinese labels through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from resettle.codelists import declare_aliases


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


# What cadres write for these lists in their sheets (resettle.codelists): read as the label.
declare_aliases(
    Sector,
    {
        Sector.PRIMARY: ("第一产业", "一产业", "农业"),
        Sector.SECONDARY: ("第二产业", "二产业", "工业"),
        Sector.TERTIARY: ("第三产业", "三产业", "服务业"),
    },
)
declare_aliases(
    Kind,
    {
        Kind.CROPS: ("种植", "特色种植业"),
        Kind.FACILITY: ("大棚", "温室大棚", "设施农业大棚", "温室"),
        Kind.LIVESTOCK: ("养殖", "棚圈", "养殖小区", "养殖场"),
        Kind.WORKSHOP: ("扶贫车间", "乡村车间", "车间", "就业帮扶车间", "工坊"),
        Kind.SHOPS: ("商铺", "门面", "商铺门面房", "门面房"),
        Kind.MARKET: ("农贸市场建设",),
        Kind.ECOMMERCE: ("电子商务",),
        Kind.TOURISM: ("旅游", "农家乐"),
        Kind.PROCESSING: ("农副产品加工", "加工"),
        Kind.COLD_CHAIN: ("冷链", "物流", "冷库"),
        Kind.OTHER: ("其它",),
    },
)
declare_aliases(
    OperatorType,
    {
        OperatorType.COOPERATIVE: ("农民专业合作社", "专业合作社"),
        OperatorType.ENTERPRISE: ("公司", "龙头企业"),
        OperatorType.COLLECTIVE: ("村集体经济组织", "集体", "村委会"),
        OperatorType.INDIVIDUAL: ("个体", "农户", "大户"),
    },
)
declare_aliases(
    ProjectStatus,
    {
        ProjectStatus.PLANNED: ("规划中", "计划", "拟建", "未开工"),
        ProjectStatus.BUILDING: ("在建中", "建设中", "施工中", "已开工"),
        ProjectStatus.OPERATING: ("运营中", "已运营", "已投产", "正常运营", "已建成"),
        ProjectStatus.STOPPED: ("停产", "停止运营", "已停运", "闲置"),
    },
)
declare_aliases(
    FundSource,
    {
        FundSource.CENTRAL: ("中央资金", "中央财政"),
        FundSource.PROVINCIAL: ("省级资金", "省财政", "自治区", "自治区级"),
        FundSource.PREFECTURAL: ("市级", "地级", "地区", "市级资金"),
        FundSource.COUNTY: ("县级", "县级资金", "县财政", "本县"),
        FundSource.RELOCATION: ("后续扶持资金", "搬迁后扶资金"),
        FundSource.AGRICULTURE: ("整合资金", "涉农资金"),
        FundSource.EAST_WEST: ("东西部扶贫协作", "援疆资金", "对口援建"),
        FundSource.SOCIAL: ("社会资本", "社会资金投入", "企业自筹"),
        FundSource.LOAN: ("贷款", "银行信贷"),
        FundSource.OTHER: ("其它",),
    },
)
declare_aliases(
    LinkKind,
    {
        LinkKind.DIVIDEND: ("入股分红", "资产收益"),
        LinkKind.LAND: ("流转", "土地流转入股"),
        LinkKind.ORDER: ("订单", "订单农业"),
        LinkKind.CONTRACT: ("承包", "大棚承包"),
    },
)
