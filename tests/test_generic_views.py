"""Every scoped API viewset and every list page, declared once: each class inherits the trio's
scope tests and the query-count test of `resettle.testing` (NetBox's APIViewTestCases as the
model). `test_every_viewset_and_list_page_is_covered` fails when a route is added without one.

Records are made with the ORM or the factories, in the `shache_site` fixture's site (莎车县), so
that alice writes them, bob reads them and charlie does not see them.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import resolve, reverse
from django.views.generic import ListView

from accounts.models import ApiToken
from conftest import make_user
from employment.models import Employment, FollowUpVisit, JobMatch, LaborProfile, Training
from employment.views import WORKLISTS
from governance.models import DispatchReport, ReportEvent
from governance.sitegov.models import (
    Cadre,
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from resettle.excel import LEDGERS
from resettle.models import ExcelJob
from resettle.testing import (
    APIViewTestCase,
    ListPageTestCase,
    list_view_routes,
    routed_viewsets,
    subclasses,
)

DAY = dt.date(2025, 3, 1)
serial = itertools.count(1)


def household(site):
    """A household of `site` with one registered member, its head (a laborer's age)."""
    home = HouseholdFactory(site=site)
    PersonFactory(household=home, name=f"成员{next(serial)}号")
    return home


def person(site):
    return household(site).members.get()


def cadre() -> User:
    """The county operator who recorded the records (the `alice` fixture, made first)."""
    return User.objects.get(username="alice")


def laborer(site, *, employed: bool = False) -> LaborProfile:
    """A laborer who wants work; with a job in a project, open since DAY, when `employed`."""
    profile = LaborProfile.objects.create(
        person=person(site), capacity="ordinary", willingness="away", recorded_on=DAY
    )
    if employed:
        Employment.objects.create(
            person=profile.person,
            project=project(site),
            channel="local_temporary",
            job_type="wage_work",
            place="county",
            monthly_income=Decimal("1500"),
            start_date=DAY,
        )
    return profile


def project(site, *, kind: str = "crops") -> IndustryProject:
    """A project of `site`'s county operating since DAY, serving `site`."""
    made = IndustryProject.objects.create(
        code=f"XM{next(serial):05d}",
        name="扶贫项目",
        county_id=site.county_id,
        sector="secondary",
        kind=kind,
        operator_type="enterprise",
        status="operating",
    )
    ProjectSite.objects.create(project=made, site=site, travel_minutes=15)
    ProjectStatusChange.objects.create(project=made, status="operating", changed_on=DAY, by=cadre())
    return made


def case(site) -> MonitoringCase:
    """A case included in monitoring (the case lists open on the monitored ones), with the
    steps that led there."""
    made = MonitoringCase.objects.create(
        household=household(site),
        category="marginal",
        risks="illness",
        found_through="cadre",
        opened_on=DAY,
        visited_on=DAY,
        notice_from=DAY,
        decided_on=DAY,
        identified_on=DAY,
        status="monitored",
    )
    for step in ("alert", "verified", "notice", "monitored"):
        CaseEvent.objects.create(case=made, to_status=step, on=DAY, by=cadre())
    return made


def alert(site) -> Alert:
    """An open alert of a household, with the case opened from it."""
    opened = case(site)
    return Alert.objects.create(
        household=opened.household, rule="zero_employment", raised_on=DAY, case=opened
    )


# Distinct months (within a test, whatever ran before), from 2001 to 2020.
months = itertools.cycle(f"{year}-{month:02d}" for year in range(2001, 2021) for month in (1, 7))


def report(site, *, submitted: bool) -> DispatchReport:
    """A county's monthly report (one a month), generated, and submitted when `submitted`."""
    made = DispatchReport.objects.create(
        period=next(months),
        region_id=site.county_id,
        as_of=DAY,
        generated_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        status="submitted" if submitted else "generated",
    )
    for action in ("generated", "submitted")[: 2 if submitted else 1]:
        ReportEvent.objects.create(report=made, action=action, by=cadre())
    return made


def quoted(url: str) -> str:
    """A link's address as a page writes it (`"/households/1/"` is no part of `"/…/12/"`)."""
    return f'"{url}"'


def site_of(site):
    """A new site of `site`'s county."""
    return SiteFactory(county_id=site.county_id)


def farming_wish(site) -> FarmingWish:
    """A household of `site` on the greenhouse ledger (willing to farm since DAY)."""
    return FarmingWish.objects.create(household=household(site), since=DAY, crop="西红柿")


@pytest.fixture
def lena(regions):
    """A leading-group viewer of 喀什地区: reads reports and dashboards, no ledgers."""
    return make_user("lena", "leader_viewer", "6531")


# --- The API --------------------------------------------------------------------------------


class TestRegionAPI(APIViewTestCase):
    basename = "region"
    id_field = "code"

    def make(self, site):
        return Region.objects.create(
            code=f"653125{next(serial):03d}", name="乡镇", level="township", parent_id="653125"
        )

    def write(self, client, record):
        return None  # regions are reference data: read-only in the API


class TestSiteAPI(APIViewTestCase):
    basename = "site"

    def make(self, site):
        return SiteFactory(county_id=site.county_id)


class TestHouseholdAPI(APIViewTestCase):
    basename = "household"

    def make(self, site):
        return household(site)


class TestPersonAPI(APIViewTestCase):
    basename = "person"

    def make(self, site):
        return person(site)


class TestLaborProfileAPI(APIViewTestCase):
    basename = "laborprofile"

    def make(self, site):
        return laborer(site)


class TestEmploymentAPI(APIViewTestCase):
    basename = "employment"

    def make(self, site):
        return laborer(site, employed=True).person.employments.get()


class TestTrainingAPI(APIViewTestCase):
    basename = "training"

    def make(self, site):
        return Training.objects.create(
            person=laborer(site).person, course="电焊", start_date=DAY, end_date=DAY
        )

    def write(self, client, record):
        body = {"person": record.person_id, "course": "烹饪", "start_date": DAY, "end_date": DAY}
        return client.post(self.list_url(), body, format="json")


class TestJobMatchAPI(APIViewTestCase):
    basename = "jobmatch"

    def make(self, site):
        return JobMatch.objects.create(
            person=laborer(site).person, matched_on=DAY, employer="甲", job="乙"
        )

    def write(self, client, record):
        body = {"person": record.person_id, "matched_on": DAY, "employer": "丙", "job": "丁"}
        return client.post(self.list_url(), body, format="json")


class TestFollowUpVisitAPI(APIViewTestCase):
    basename = "followupvisit"

    def make(self, site):
        return FollowUpVisit.objects.create(person=laborer(site).person, visited_on=DAY)

    def write(self, client, record):
        body = {"person": record.person_id, "visited_on": DAY}
        return client.post(self.list_url(), body, format="json")


class TestIndustryProjectAPI(APIViewTestCase):
    basename = "industryproject"

    def make(self, site):
        return project(site)


class RemovableAPITestCase(APIViewTestCase):
    """Industry records are written by POST and removed (DELETE with a reason)."""

    def write(self, client, record):
        return client.delete(f"{self.detail_url(record)}?reason=录错")


class TestInvestmentAPI(RemovableAPITestCase):
    basename = "investment"

    def make(self, site):
        return Investment.objects.create(project=project(site), source="county", amount=1000)


class TestBenefitLinkAPI(RemovableAPITestCase):
    basename = "benefitlink"

    def make(self, site):
        return BenefitLink.objects.create(
            project=project(site), household=household(site), kind="work", since=DAY
        )


class TestDividendAPI(RemovableAPITestCase):
    basename = "dividend"

    def make(self, site):
        return Dividend.objects.create(
            project=project(site), household=household(site), year=2024, amount=300
        )


class TestIncomeCheckAPI(APIViewTestCase):
    basename = "incomecheck"

    def make(self, site):
        return IncomeCheck.objects.create(
            household=household(site),
            year=2024,
            checked_on=DAY,
            household_size=1,
            per_capita_net=Decimal("9000"),
        )

    def write(self, client, record):
        body = {
            "household": record.household_id,
            "year": 2025,
            "checked_on": DAY,
            "household_size": 1,
            "wage_income": "9000",
        }
        return client.post(self.list_url(), body, format="json")


class TestIncidentAPI(APIViewTestCase):
    basename = "incident"

    def make(self, site):
        return Incident.objects.create(household=household(site), kind="disaster", occurred_on=DAY)

    def write(self, client, record):
        body = {"household": record.household_id, "kind": "accident", "occurred_on": DAY}
        return client.post(self.list_url(), body, format="json")


class TestAlertAPI(APIViewTestCase):
    basename = "alert"

    def make(self, site):
        return alert(site)

    def write(self, client, record):
        return client.post(
            reverse("api:alert-dismiss", args=[record.pk]), {"reason": "核实无风险"}, format="json"
        )


class TestMonitoringCaseAPI(APIViewTestCase):
    basename = "monitoringcase"

    def make(self, site):
        return case(site)

    def write(self, client, record):
        body = {
            "household": household(record.household.site).pk,
            "category": "marginal",
            "risks": ["illness"],
            "found_through": "cadre",
        }
        return client.post(self.list_url(), body, format="json")


class TestAssistanceMeasureAPI(APIViewTestCase):
    basename = "assistancemeasure"

    def make(self, site):
        return AssistanceMeasure.objects.create(
            case=case(site), kind="employment", responsible="县人社局", start_date=DAY
        )

    def write(self, client, record):
        body = {
            "case": record.case_id,
            "kind": "health",
            "responsible": "县卫健委",
            "start_date": DAY,
        }
        return client.post(self.list_url(), body, format="json")


class TestDispatchReportAPI(APIViewTestCase):
    basename = "dispatchreport"
    readers = ("bob", "lena")

    def make(self, site):
        return report(site, submitted=False)

    def write(self, client, record):
        # Submitting is the county's step; a reviewer or a leader may not take it.
        return client.post(
            reverse("api:dispatchreport-submit", args=[record.pk]),
            {"version": record.version},
            format="json",
        )


class TestApiTokenAPI(APIViewTestCase):
    """A token is its holder's alone: everyone else, in scope or not, gets 404."""

    basename = "token"
    readers = ()
    outsiders = ("bob", "charlie")

    def make(self, site):
        # Made without the service, whose limit of tokens a user holds is below 20.
        token, _ = ApiToken.objects.create(user=cadre(), name=f"脚本{next(serial)}号")
        return token

    def write(self, client, record):
        return client.delete(self.detail_url(record))  # revoke


class TestMonitoringLineAPI(APIViewTestCase):
    """Monitoring lines are reference data: every signed-in user reads them, in any county;
    only an administrator of the region sets them."""

    basename = "monitoringline"
    writer = "admin_user"
    readers = ("alice", "bob", "charlie")
    outsiders = ()
    years = itertools.cycle(range(1990, 2030))  # distinct within a test, in the field's range

    def make(self, site):
        return MonitoringLine.objects.create(
            year=next(self.years), region_id="6531", amount=Decimal("6000")
        )


# Site governance (issue 19): records made with the ORM in the site, or in a site of its county
# of their own where a site holds one of each (a facility of each kind).


def governance_cadre(site) -> Cadre:
    """A cadre kept by `site`'s county."""
    return Cadre.objects.create(name=f"干部{next(serial)}号", region_id=site.county_id)


class ReferenceListAPITestCase(APIViewTestCase):
    """The lists of facilities and services (十有, 十到位) are reference data every signed-in
    user reads, in any county; none writes them through the API."""

    readers = ("bob", "charlie")
    outsiders = ()

    def write(self, client, record):
        return None


class TestFacilityKindAPI(ReferenceListAPITestCase):
    basename = "facilitykind"

    def make(self, site):
        number = next(serial)
        return FacilityKind.objects.create(
            code=f"local-{number}", name=f"本地设施{number}", measure="area", region_id="6531"
        )


class TestServiceKindAPI(ReferenceListAPITestCase):
    basename = "servicekind"

    def make(self, site):
        number = next(serial)
        return ServiceKind.objects.create(
            code=f"local-{number}", name=f"本地服务{number}", region_id="6531"
        )


class TestSiteGovernanceAPI(APIViewTestCase):
    basename = "site-governance"

    def make(self, site):
        return site_of(site)

    def write(self, client, record):
        return None  # read-only: its records are written on their own endpoints


class SiteRecordAPITestCase(RemovableAPITestCase):
    """Records of site governance: changed with their version, removed with a reason."""

    def write(self, client, record):
        return client.patch(self.detail_url(record), {"version": record.version}, format="json")


class TestSiteFacilityAPI(SiteRecordAPITestCase):
    basename = "sitefacility"

    def make(self, site):
        return SiteFacility.objects.create(
            site=site_of(site), kind=FacilityKind.objects.get(code="clinic"), present=True
        )


class TestSiteServiceAPI(SiteRecordAPITestCase):
    basename = "siteservice"

    def make(self, site):
        return SiteService.objects.create(
            site=site_of(site), kind=ServiceKind.objects.get(code="civility"), in_place=True
        )


class TestCadreAPI(SiteRecordAPITestCase):
    basename = "cadre"

    def make(self, site):
        return governance_cadre(site)


class TestTeamMemberAPI(SiteRecordAPITestCase):
    basename = "teammember"

    def make(self, site):
        return TeamMember.objects.create(
            site=site, cadre=governance_cadre(site), role="member", start_date=DAY
        )


class TestSiteLeaderAPI(SiteRecordAPITestCase):
    basename = "siteleader"

    def make(self, site):
        return SiteLeader.objects.create(
            site=site, cadre=governance_cadre(site), position="deputy", start_date=DAY
        )


class TestCommunityBodyAPI(SiteRecordAPITestCase):
    basename = "communitybody"

    def make(self, site):
        return CommunityBody.objects.create(
            site=site, kind="community", name=f"社区{next(serial)}号"
        )


class TestGridRoleAPI(SiteRecordAPITestCase):
    basename = "gridrole"

    def make(self, site):
        return GridRole.objects.create(
            site=site, role="building_head", area=f"{next(serial)}号楼", person=person(site)
        )


class TestShopAssetAPI(SiteRecordAPITestCase):
    basename = "shopasset"

    def make(self, site):
        return ShopAsset.objects.create(site=site, kind="shop", name=f"商铺{next(serial)}号")


class TestShopIncomeAPI(SiteRecordAPITestCase):
    basename = "shopincome"

    def make(self, site):
        asset = TestShopAssetAPI().make(site)
        return ShopIncome.objects.create(asset=asset, year=2024, income=Decimal("12000"))


class TestFarmingWishAPI(SiteRecordAPITestCase):
    basename = "farmingwish"
    list_params = {"state": "all"}

    def make(self, site):
        return farming_wish(site)


class TestGreenhouseAPI(SiteRecordAPITestCase):
    basename = "greenhouse"

    def make(self, site):
        wish = farming_wish(site)
        return Greenhouse.objects.create(
            household=wish.household, area_mu=Decimal("1"), crop="西红柿", allotted_on=DAY
        )


# --- The pages ------------------------------------------------------------------------------


class TestHouseholdList(ListPageTestCase):
    url_name = "household-list"

    def make(self, site):
        return household(site)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("household-detail", args=[record.pk])

    def write(self, client, record):
        return client.post(reverse("household-edit", args=[record.pk]), {})


class TestHouseholdWorklist(ListPageTestCase):
    url_name = "household-worklist"

    def make(self, site):
        home = household(site)
        home.move_in_date = None  # a fact some figure needs, not known
        home.save()
        return home

    def marker(self, record):
        return record.household_no


class TestSiteList(ListPageTestCase):
    url_name = "site-list"

    def make(self, site):
        return SiteFactory(county_id=site.county_id)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("site-detail", args=[record.pk])


class TestLaborList(ListPageTestCase):
    url_name = "labor-list"

    def make(self, site):
        return laborer(site, employed=True)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("labor-card", args=[record.person_id])

    def write(self, client, record):
        return client.post(self.detail_url(record), {"form": "visit", "visited_on": DAY})


class WorklistTestCase(ListPageTestCase):
    url_name = "labor-worklist"

    def marker(self, record):
        return (
            record.household.household_no if hasattr(record, "household") else record.household_no
        )


class TestZeroEmploymentWorklist(WorklistTestCase):
    url_kwargs = {"name": "zero-employment"}

    def make(self, site):
        return laborer(site).person.household


class TestJobMatchingWorklist(WorklistTestCase):
    url_kwargs = {"name": "job-matching"}

    def make(self, site):
        return laborer(site).person


class TestFollowUpWorklist(WorklistTestCase):
    url_kwargs = {"name": "follow-up"}

    def make(self, site):
        return laborer(site, employed=True).person


class TestFiveClearsWorklist(WorklistTestCase):
    url_kwargs = {"name": "five-clears"}

    def make(self, site):
        return laborer(site).person  # no training intention on record


class TestUnprofiledWorklist(WorklistTestCase):
    url_kwargs = {"name": "unprofiled"}

    def make(self, site):
        return person(site)


class TestProjectList(ListPageTestCase):
    url_name = "project-list"

    def make(self, site):
        return project(site)

    def marker(self, record):
        return record.code

    def detail_url(self, record):
        return reverse("project-detail", args=[record.pk])

    def write(self, client, record):
        return client.post(reverse("project-edit", args=[record.pk]), {})


class TestSiteGovernanceList(ListPageTestCase):
    url_name = "site-governance-list"

    def make(self, site):
        return site_of(site)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("site-governance", args=[record.pk])

    def write(self, client, record):
        return client.post(
            reverse("site-governance-add", args=[record.pk, "body"]),
            {"kind": "community", "name": "幸福社区", "is_own": "on"},
        )


class TestGreenhouseLedger(ListPageTestCase):
    url_name = "greenhouse-ledger"

    def make(self, site):
        return farming_wish(site)

    def marker(self, record):
        return record.household.household_no

    def write(self, client, record):
        return client.post(
            reverse("site-governance-edit", args=[record.household.site_id, "wish", record.pk]),
            {"since": "2025-03-01", "crop": "辣椒", "version": record.version},
        )


class TestWorkshopList(ListPageTestCase):
    url_name = "workshops"

    def make(self, site):
        return project(site, kind="workshop")

    def marker(self, record):
        return record.code


class TestAlertInbox(ListPageTestCase):
    url_name = "alert-list"

    def make(self, site):
        return alert(site)

    def write(self, client, record):
        return client.post(reverse("alert-dismiss", args=[record.pk]), {"reason": "核实无风险"})

    def marker(self, record):
        return record.household.household_no


class TestCaseList(ListPageTestCase):
    url_name = "case-list"

    def make(self, site):
        return case(site)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("case-detail", args=[record.pk])

    def write(self, client, record):
        return client.post(self.detail_url(record), {"form": "measure"})


class TestOverdueVisitsList(TestCaseList):
    """The case list as the overdue home visits' worklist (resettle.worklists)."""

    params = {"state": "all", "overdue": "true"}

    def make(self, site):
        return MonitoringCase.objects.create(
            household=household(site),
            category="marginal",
            risks="illness",
            found_through="cadre",
            opened_on=DAY,
        )


class TestCasesWithoutMeasureList(TestCaseList):
    """The case list as the worklist of the monitored households without a measure."""

    params = {"without_measure": "true"}


class TestReportList(ListPageTestCase):
    url_name = "reports"
    readers = ("bob", "lena")

    def make(self, site):
        return report(site, submitted=True)

    def marker(self, record):
        return quoted(self.detail_url(record))

    def detail_url(self, record):
        return reverse("report-detail", args=[record.pk])


class ImportHistoryTestCase(ListPageTestCase):
    """A ledger's import page lists the uploads of the user's area; readers may not import, so
    the page is not theirs."""

    readers = ()
    ledger: str

    @pytest.fixture(autouse=True)
    def _importers(self, alice, shache_site, shufu_site):
        # alice and charlie may import: each county has a site, and a project for dividends.
        project(shache_site)
        project(shufu_site)

    @property
    def url_name(self):
        return f"{LEDGERS[self.ledger].url_name}-import"

    def make(self, site):
        return ExcelJob.objects.create(
            kind=ExcelJob.Kind.IMPORT,
            ledger=self.ledger,
            user=cadre(),
            region_code=site.county_id,
            file_name=f"台账{next(serial):05d}.xlsx",
        )

    def marker(self, record):
        return record.file_name


class TestHouseholdImportHistory(ImportHistoryTestCase):
    ledger = "households"


class TestLaborImportHistory(ImportHistoryTestCase):
    ledger = "labor"


class TestDividendImportHistory(ImportHistoryTestCase):
    ledger = "dividends"


class TestSiteFacilityImportHistory(ImportHistoryTestCase):
    ledger = "site_facilities"


class TestSiteStaffingImportHistory(ImportHistoryTestCase):
    ledger = "site_staffing"


class TestGreenhouseImportHistory(ImportHistoryTestCase):
    ledger = "greenhouses"


class TestApiTokenPage(ListPageTestCase):
    url_name = "api-tokens"
    readers = ()
    outsiders = ("bob", "charlie")

    def make(self, site):
        return TestApiTokenAPI().make(site)

    def marker(self, record):
        return record.name


class FigureRecordsTestCase(ListPageTestCase):
    """The records a figure counts (drill-through from the dashboards and reports): one case
    per kind of record a figure lists."""

    url_name = "figure-records"


class TestSiteFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "sites"}

    def make(self, site):
        return SiteFactory(county_id=site.county_id)

    def marker(self, record):
        return record.code


class TestHouseholdFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "households"}

    def make(self, site):
        return household(site)

    def marker(self, record):
        return record.household_no


class TestPersonFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "persons"}

    def make(self, site):
        return person(site)

    def marker(self, record):
        return record.name


class TestEmployedFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "employed"}

    def make(self, site):
        return laborer(site, employed=True).person

    def marker(self, record):
        return record.name


class TestWorkshopFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "workshops"}

    def make(self, site):
        return project(site, kind="workshop")

    def marker(self, record):
        return record.code


class TestMonitoredFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "monitored_households"}

    def make(self, site):
        return case(site).household

    def marker(self, record):
        return record.household_no


class TestOpenAlertFigureRecords(FigureRecordsTestCase):
    url_kwargs = {"code": "open_alerts"}

    def make(self, site):
        return alert(site).household

    def marker(self, record):
        return record.household_no


# List pages that are functions, not ListViews: named here, since no class marks them.
FUNCTION_LIST_PAGES = {
    "labor-worklist",
    "workshops",
    "reports",
    "api-tokens",
    "figure-records",
    # The uploads of each ledger that imports (projects are entered by form only: their
    # import page refuses everyone).
    *(f"{ledger.url_name}-import" for ledger in LEDGERS.values() if ledger.name != "projects"),
}


# --- Coverage -------------------------------------------------------------------------------


def test_every_viewset_and_list_page_is_covered():
    """A viewset registered on a router, a ListView route or a function list page above without
    its test class here fails: declare one (a basename or url name and a `make`)."""
    covered = {resolve(case().list_url()).func.cls.__name__ for case in subclasses(APIViewTestCase)}
    missing = {cls.__name__ for cls in routed_viewsets()} - covered
    assert not missing, f"viewsets without generic tests: {sorted(missing)}"
    pages = {case().url_name for case in subclasses(ListPageTestCase)}
    missing = (list_view_routes(ListView) | FUNCTION_LIST_PAGES) - pages
    assert not missing, f"list pages without generic tests: {sorted(missing)}"
    worklists = {case.url_kwargs["name"] for case in subclasses(WorklistTestCase)}
    assert worklists == set(WORKLISTS)
