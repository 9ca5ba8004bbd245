"""Code lists of site governance (安置区治理): Yuncheng plan seeds/002 §三(四)(五), Guizhou
opinions seeds/003 items 6–9 and 24, Kashgar report seeds/000 §二(四). Stable English codes,
Chinese labels through the catalog; what cadres write for them declared as aliases."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from resettle.codelists import declare_aliases


class Measure(models.TextChoices):
    """How the size of a facility is recorded: its floor area, or how many it takes (a
    kindergarten's places)."""

    AREA = "area", _("Area (m²)")
    CAPACITY = "capacity", _("Capacity")


class Rank(models.TextChoices):
    """A cadre's rank (职级), from the county's principal leaders down."""

    COUNTY_PRINCIPAL = "county_principal", _("Principal county level")
    COUNTY_DEPUTY = "county_deputy", _("Deputy county level")
    SECTION_PRINCIPAL = "section_principal", _("Principal section level")
    SECTION_DEPUTY = "section_deputy", _("Deputy section level")
    STAFF = "staff", _("Staff member")
    OTHER = "other", _("Other rank")


class TeamRole(models.TextChoices):
    """A place in a site's work team (一点一队): its first secretary or a member."""

    FIRST_SECRETARY = "first_secretary", _("First secretary")
    MEMBER = "member", _("Team member")


class LeaderPosition(models.TextChoices):
    """The post of the leader answering for a site (包保): the county's principal Party or
    government leader (党政主要负责同志), a deputy county-level leader of the Party committee or
    the government, or another (Guizhou opinions seeds/003 item 24)."""

    PARTY_SECRETARY = "party_secretary", _("County Party secretary")
    GOVERNMENT_HEAD = "government_head", _("County head")
    DEPUTY = "deputy", _("Deputy county-level leader")
    OTHER = "other", _("Other leader")


class BodyKind(models.TextChoices):
    """A community body of a site (Kashgar report seeds/000 §二(四); Guizhou opinions seeds/003
    items 6–8): the self-governing body (a community, a residents' or a village committee) or
    the Party organisation."""

    COMMUNITY = "community", _("Community")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    VILLAGE_COMMITTEE = "village_committee", _("Village committee")
    PARTY_BRANCH = "party_branch", _("Party branch (Party organisation)")


class GridRoleKind(models.TextChoices):
    """The grid roles of a site (Yuncheng plan seeds/002 §三(五)三): the head of the site, of an
    area of it, of a building."""

    SITE_HEAD = "site_head", _("Site head")
    AREA_HEAD = "area_head", _("Area head")
    BUILDING_HEAD = "building_head", _("Building head")


class ShopKind(models.TextChoices):
    """A commercial asset of a site (Guizhou opinions seeds/003 item 9: 门面、商铺等商业性资产)."""

    STOREFRONT = "storefront", _("Storefront")
    SHOP = "shop", _("Shop")
    STALL = "stall", _("Market stall")
    OTHER = "other", _("Other commercial asset")


declare_aliases(
    Rank,
    {
        Rank.COUNTY_PRINCIPAL: ("正县", "正处级", "正处"),
        Rank.COUNTY_DEPUTY: ("副县", "副处级", "副处"),
        Rank.SECTION_PRINCIPAL: ("正科",),
        Rank.SECTION_DEPUTY: ("副科",),
        Rank.STAFF: ("科员级", "一般干部", "办事员"),
    },
)
declare_aliases(
    TeamRole,
    {
        TeamRole.FIRST_SECRETARY: ("第一书记", "驻村第一书记", "第一书记（队长）", "队长"),
        TeamRole.MEMBER: ("队员", "工作队员", "驻村队员"),
    },
)
declare_aliases(
    LeaderPosition,
    {
        LeaderPosition.PARTY_SECRETARY: ("县委书记", "市委书记", "区委书记", "书记"),
        LeaderPosition.GOVERNMENT_HEAD: ("县长", "市长", "区长"),
        LeaderPosition.DEPUTY: ("副县长", "副县级", "县委副书记", "县委常委", "副区长", "副市长"),
    },
)
declare_aliases(
    BodyKind,
    {
        BodyKind.COMMUNITY: ("社区", "社区居委会"),
        BodyKind.RESIDENTS_COMMITTEE: ("居委会", "居民委员会"),
        BodyKind.VILLAGE_COMMITTEE: ("村委会", "村民委员会"),
        BodyKind.PARTY_BRANCH: ("党支部", "党组织", "党总支", "党委", "社区党支部"),
    },
)
declare_aliases(
    GridRoleKind,
    {
        GridRoleKind.SITE_HEAD: ("安置点长", "点长"),
        GridRoleKind.AREA_HEAD: ("片长", "片区长"),
        GridRoleKind.BUILDING_HEAD: ("楼栋长", "栋长", "楼长"),
    },
)
declare_aliases(
    ShopKind,
    {
        ShopKind.STOREFRONT: ("门面", "门面房"),
        ShopKind.SHOP: ("商铺", "铺面"),
        ShopKind.STALL: ("摊位",),
    },
)
