"""The rules of site governance, each with its source. The numbers are settings (read when a rule
is applied, so that a deployment sets its own); what they apply to is named here. The services
refuse what breaks a rule of a record; the shortfall selector and the indicators
(governance.sitegov.selectors) find the sites that break a rule of a site."""

from django.conf import settings

from governance.sitegov.choices import BodyKind, LeaderPosition, Rank
from households.choices import HouseholdCategory
from industry.choices import Kind

# The persons a work team is counted from: members of 建档立卡 households (the registry's
# relocation category; 脱贫搬迁户 in the Yuncheng plan's words), not of 同步搬迁 households
# (Yuncheng plan seeds/002 §三(五)一: 建档立卡搬迁人口100人以上的安置区).
TEAM_CATEGORY = HouseholdCategory.REGISTERED_POOR

# The posts of the county's principal Party and government leaders (党政主要负责同志), who answer
# for a site of SITE_SIZES["LARGE_PERSONS"] persons or more; a smaller site needs at least a
# deputy county-level leader of the Party committee or the government, whom a principal leader
# outranks (Guizhou opinions seeds/003 item 24).
PRINCIPAL_POSITIONS = frozenset({LeaderPosition.PARTY_SECRETARY, LeaderPosition.GOVERNMENT_HEAD})
DEPUTY_POSITIONS = PRINCIPAL_POSITIONS | {LeaderPosition.DEPUTY}
# The ranks a cadre in each post holds: a county Party secretary or county head is of principal
# county level, a deputy county-level leader of deputy county level or above.
POSITION_RANKS = {
    LeaderPosition.PARTY_SECRETARY: frozenset({Rank.COUNTY_PRINCIPAL}),
    LeaderPosition.GOVERNMENT_HEAD: frozenset({Rank.COUNTY_PRINCIPAL}),
    LeaderPosition.DEPUTY: frozenset({Rank.COUNTY_PRINCIPAL, Rank.COUNTY_DEPUTY}),
}

# A site of SITE_SIZES["COMMUNITY_PERSONS"] persons or more has its own community and Party
# branch (Kashgar report seeds/000 §二(四): 3000人以上设立社区，成立党支部). The community is the
# site's self-governing body: a community (residents' committee) in a town, a village committee
# where the site was made a village (the Kashgar report's 叶城县 formed village committees).
SELF_GOVERNING_KINDS = frozenset(
    {BodyKind.COMMUNITY, BodyKind.RESIDENTS_COMMITTEE, BodyKind.VILLAGE_COMMITTEE}
)
PARTY_KINDS = frozenset({BodyKind.PARTY_BRANCH})

# The industry projects a greenhouse (一户一棚) belongs to: planting ones, greenhouses and
# facility farming (香菇大棚、设施蔬菜温室大棚) or other specialty crops (特色种植业), not a
# workshop, shops or livestock sheds (Yuncheng plan seeds/002 §三(三): 有意愿从事特色种植业的…
# 发展香菇大棚、设施蔬菜温室大棚或其他特色产业).
GREENHOUSE_PROJECT_KINDS = frozenset({Kind.FACILITY, Kind.CROPS})


def team_persons() -> int:
    """The persons of 建档立卡 households from which a site needs a first secretary and a work
    team sent by the county (settings.SITE_GOVERNANCE["TEAM_PERSONS"], 100); below it the county
    manages the site as a whole (Yuncheng plan seeds/002 §三(五)一)."""
    return settings.SITE_GOVERNANCE["TEAM_PERSONS"]


def team_size() -> int:
    """The members a work team has at least, its first secretary counted among them
    (settings.SITE_GOVERNANCE["TEAM_SIZE"], 3: 一点一队、一队三人, Yuncheng plan seeds/002
    §三(五)一)."""
    return settings.SITE_GOVERNANCE["TEAM_SIZE"]


def large_persons() -> int:
    """The registered persons from which a site needs the county's principal leaders as its
    包保 leader (settings.SITE_SIZES["LARGE_PERSONS"], 10,000; Guizhou opinions seeds/003 item
    24)."""
    return settings.SITE_SIZES["LARGE_PERSONS"]


def community_persons() -> int:
    """The registered persons from which a site has its own community and Party branch
    (settings.SITE_SIZES["COMMUNITY_PERSONS"], 3,000; Kashgar report seeds/000 §二(四))."""
    return settings.SITE_SIZES["COMMUNITY_PERSONS"]


def positions_fitting(persons: int) -> frozenset[str]:
    """The 包保 leader's posts that fit a site of `persons` registered persons: the principal
    leaders' from `large_persons()` on, else a deputy county-level leader's or above."""
    return PRINCIPAL_POSITIONS if persons >= large_persons() else DEPUTY_POSITIONS
