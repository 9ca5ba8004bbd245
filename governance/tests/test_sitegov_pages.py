"""The pages of site governance (issue 19, item 8): a site's page shows everything on one screen
to the county's and the site's users and is missing for the others; its forms save through the
services, and a refused form says why in Chinese and changes nothing."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from governance.generation import live_figures_refresh
from governance.selectors import live_figures
from governance.sitegov import services
from governance.sitegov.models import (
    Cadre,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    SiteFacility,
    SiteLeader,
    TeamMember,
)
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from industry.models import IndustryProject
from resettle import worklists
from resettle.testing import page_client

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sam(shache_site):
    """The site operator of 莎车县幸福安置区."""
    return make_user("sam", "site_operator", shache_site.code)


def chinese(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def page(user, site, **params):
    client = chinese(page_client(user))
    return client.get(reverse("site-governance", args=[site.pk]), params)


def text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def leader_cadre(alice, **more):
    return services.cadre_save(
        actor=alice,
        data={
            "name": "张红梅",
            "rank": "county_deputy",
            "phone": "13912348479",
            "region": Region.objects.get(code="653125"),
            **more,
        },
    )


@pytest.fixture
def governed(alice, shache_site):
    """A site with a clinic, a leader answering for it and a grid role held by a resident."""
    with translation.override("zh-hans"):
        services.site_facility_save(
            actor=alice,
            site=shache_site,
            kind=FacilityKind.objects.get(code="clinic"),
            data={"present": True, "since": dt.date(2020, 5, 1), "area_m2": 120},
        )
        cadre = leader_cadre(alice)
        services.site_leader_save(
            actor=alice,
            site=shache_site,
            data={"cadre": cadre, "position": "deputy", "start_date": dt.date(2024, 10, 1)},
        )
        home = HouseholdFactory(site=shache_site, household_no="653125001-0009")
        resident = PersonFactory(household=home, name="热依拉·阿不都", phone="13800001111")
        services.grid_role_save(
            actor=alice,
            site=shache_site,
            data={
                "role": "building_head",
                "area": "3号楼",
                "person": resident,
                "phone": "13800001111",
            },
        )
    return shache_site


def test_the_site_page_shows_its_governance_to_the_county_and_the_site(alice, sam, governed):
    for user in (alice, sam):
        response = page(user, governed)
        assert response.status_code == 200
        shown = text(response)
        assert "安置区治理" in shown
        assert "卫生室 有 2020-05-01 120.00 m²" in shown
        assert "幼儿园 不详" in shown  # not recorded: not known, not absent
        assert "张红梅 副县级领导干部" in shown
        assert "139****8479" in shown and "13912348479" not in shown
        assert "138****1111" in shown and "3号楼" in shown
        # What the site lacks, in the worklist's words.
        assert "十有缺：党员活动室、业委会办公室" in shown


def test_a_site_outside_the_area_is_missing_and_the_page_links_its_records(
    alice, charlie, governed
):
    assert page(charlie, governed).status_code == 404
    body = page(alice, governed).content.decode()
    assert f"{reverse('household-list')}?site={governed.pk}" in body
    assert reverse("dashboard-site", args=[governed.pk]) in body
    assert f"{reverse('project-list')}?site={governed.pk}" in body
    site_page = chinese(page_client(alice)).get(reverse("site-detail", args=[governed.pk]))
    assert reverse("site-governance", args=[governed.pk]) in site_page.content.decode()


def test_phones_show_in_full_on_request_to_who_may(alice, bob, governed):
    assert "13912348479" in text(page(alice, governed, reveal="1"))
    assert page(bob, governed, reveal="1").status_code == 403


def test_a_reader_sees_no_form_and_may_not_post_one(bob, governed):
    response = page(bob, governed)
    assert response.status_code == 200
    assert "record-form" not in response.content.decode()
    client = chinese(page_client(bob))
    url = reverse("site-governance-add", args=[governed.pk, "body"])
    answer = client.post(url, {"kind": "community", "name": "幸福社区", "is_own": "on"})
    assert answer.status_code == 403


def test_a_form_saves_through_the_service(alice, shache_site):
    client = chinese(page_client(alice))
    url = reverse("site-governance-add", args=[shache_site.pk, "facility"])
    kindergarten = FacilityKind.objects.get(code="kindergarten")
    answer = client.post(
        url,
        {"kind": kindergarten.pk, "present": "true", "since": "2023-05-01", "capacity": "360"},
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith("#facilities")
    record = SiteFacility.objects.get(site=shache_site, kind=kindergarten)
    assert (record.present, record.since, record.capacity) == (True, dt.date(2023, 5, 1), 360)
    assert "幼儿园 有 2023-05-01 360个学位" in text(page(alice, shache_site))


def test_a_bad_form_says_why_in_chinese_and_changes_nothing(alice, shache_site):
    client = chinese(page_client(alice))
    url = reverse("site-governance-add", args=[shache_site.pk, "facility"])
    clinic = FacilityKind.objects.get(code="clinic")
    answer = client.post(url, {"kind": clinic.pk, "present": "false", "area_m2": "80"})
    assert answer.status_code == 200
    assert "“卫生室”未登记为具备：请清空此项，或改为具备。" in text(answer)
    assert "errorlist" in answer.content.decode()
    assert not SiteFacility.objects.exists()
    answer = client.post(url, {"kind": clinic.pk, "present": "true", "since": TOMORROW.isoformat()})
    assert "日期不能晚于今天。" in text(answer)
    assert not SiteFacility.objects.exists()


def test_the_team_a_county_sends_and_a_site_operator_may_not(alice, sam, shache_site):
    cadre = leader_cadre(alice, name="李强", phone="")
    url = reverse("site-governance-add", args=[shache_site.pk, "team"])
    data = {"cadre": cadre.pk, "role": "first_secretary", "start_date": "2023-05-01"}
    assert chinese(page_client(sam)).get(url).status_code == 403
    assert chinese(page_client(sam)).post(url, data).status_code == 403
    assert not TeamMember.objects.exists()
    answer = chinese(page_client(alice)).post(url, data)
    assert answer.status_code == 302
    member = TeamMember.objects.get()
    assert (member.cadre, member.role) == (cadre, "first_secretary")
    # A second first secretary at the same time is refused, in words, and nothing is saved.
    other = leader_cadre(alice, name="王芳", phone="")
    answer = chinese(page_client(alice)).post(url, {**data, "cadre": other.pk})
    assert answer.status_code == 200
    assert "本安置区已有第一书记 李强（2023-05-01 至 今）：请先填写其离任日期。" in text(answer)
    assert TeamMember.objects.count() == 1


def test_a_record_is_changed_as_read_and_removed_with_a_reason(alice, governed):
    client = chinese(page_client(alice))
    charge = SiteLeader.objects.get()
    url = reverse("site-governance-edit", args=[governed.pk, "leader", charge.pk])
    form = client.get(url)
    assert form.status_code == 200 and "2024-10-01" in form.content.decode()
    answer = client.post(
        url,
        {
            "cadre": charge.cadre_id,
            "position": "deputy",
            "start_date": "2024-10-01",
            "end_date": "2025-06-30",
            "version": charge.version,
        },
    )
    assert answer.status_code == 302
    charge.refresh_from_db()
    assert charge.end_date == dt.date(2025, 6, 30)
    # An edit from a page read before that change is refused; nothing is saved.
    stale = client.post(
        url,
        {
            "cadre": charge.cadre_id,
            "position": "deputy",
            "start_date": "2024-10-01",
            "end_date": "2025-07-31",
            "version": charge.version - 1,
        },
    )
    assert stale.status_code == 200
    # Said once, above the form, naming the record as a cadre reads it (no codes).
    assert text(stale).count("它已被他人修改") == 1
    assert "您打开包保领导 张红梅 · 副县级领导干部后" in text(stale)
    charge.refresh_from_db()
    assert charge.end_date == dt.date(2025, 6, 30)
    role = GridRole.objects.get()
    remove = reverse("site-governance-remove", args=[governed.pk, "grid", role.pk])
    assert (
        'data-confirm="'
        in client.get(
            reverse("site-governance-edit", args=[governed.pk, "grid", role.pk])
        ).content.decode()
    )
    assert client.post(remove, {"reason": ""}).status_code == 302
    assert GridRole.objects.exists()
    assert client.post(remove, {"reason": "录入错误"}).status_code == 302
    assert not GridRole.objects.exists()


def options(response, name: str) -> list[str]:
    """The options a select of the form offers, as the user reads them."""
    body = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, name
    return [re.sub(r"\s+", " ", o).strip() for o in re.findall(r">([^<]*)</option>", select[1])]


def test_the_greenhouse_forms_and_the_ledger_list(alice, charlie, shache_site):
    home = HouseholdFactory(site=shache_site, household_no="653125001-0021")
    PersonFactory(household=home, name="买买提·托合提")
    later = HouseholdFactory(site=shache_site, household_no="653125001-0022")
    PersonFactory(household=later, name="阿依古丽")
    greenhouses = IndustryProject.objects.create(
        code="P653125001", name="设施蔬菜大棚", county_id="653125", sector="primary",
        kind="facility", operator_type="cooperative", status="operating",
    )  # fmt: skip
    IndustryProject.objects.create(
        code="P653125002", name="扶贫车间", county_id="653125", sector="secondary",
        kind="workshop", operator_type="enterprise", status="operating",
    )  # fmt: skip
    client = chinese(page_client(alice))
    add = reverse("site-governance-add", args=[shache_site.pk, "greenhouse"])
    # Nobody on the ledger yet: no household to choose, and the form says what to do first.
    form = client.get(add)
    assert options(form, "household") == ["---------"]
    assert "请先将要分配大棚的户登记到有意愿发展种植台账" in text(form)
    refused = client.post(add, {"household": home.pk, "area_mu": "1", "crop": "西红柿"})
    assert refused.status_code == 200 and not Greenhouse.objects.exists()
    wish = reverse("site-governance-add", args=[shache_site.pk, "wish"])
    for household in (home, later):
        answer = client.post(wish, {"household": household.pk, "since": "2023-05-01"})
        assert answer.status_code == 302
    assert FarmingWish.objects.filter(household=home).get().since == dt.date(2023, 5, 1)
    # The willing households to choose from, by number and head; the planting projects only.
    form = client.get(add)
    assert options(form, "household") == [
        "---------",
        "653125001-0021 买买提·托合提",
        "653125001-0022 阿依古丽",
    ]
    assert options(form, "project") == ["---------", "P653125001 设施蔬菜大棚"]
    chosen = {"household": home.pk, "area_mu": "1", "crop": "西红柿", "number": "A-01"}
    assert client.post(add, {**chosen, "project": greenhouses.pk}).status_code == 302
    assert Greenhouse.objects.get().project == greenhouses
    # The household holds its greenhouse now: the next one is offered alone.
    assert options(client.get(add), "household") == ["653125001-0022 阿依古丽"]
    greenhouse = Greenhouse.objects.get()
    edit = reverse("site-governance-edit", args=[shache_site.pk, "greenhouse", greenhouse.pk])
    assert options(client.get(edit), "household") == ["653125001-0021 买买提·托合提"]
    changed = {**chosen, "area_mu": "1.2", "version": greenhouse.version}
    assert client.post(edit, changed).status_code == 302
    assert Greenhouse.objects.get().area_mu == Decimal("1.2")
    shown = text(client.get(reverse("greenhouse-ledger")))
    assert "653125001-0021" in shown and "A-01" in shown and "50%" in shown
    assert "653125001-0021" not in text(
        chinese(page_client(charlie)).get(reverse("greenhouse-ledger"))
    )


def test_the_wish_form_offers_the_site_s_households_not_on_the_ledger(alice, shache_site):
    """The cadre chooses the household (number and head) instead of typing its number: the
    site's registered households with no wish standing; a withdrawn one is offered again, and
    the service still refuses a wish overlapping the withdrawn one."""
    home = HouseholdFactory(site=shache_site, household_no="653125001-0031")
    PersonFactory(household=home, name="买买提·托合提")
    other = HouseholdFactory(site=shache_site, household_no="653125001-0032")
    PersonFactory(household=other, name="阿依古丽")
    HouseholdFactory(site=shache_site, household_no="653125001-0033")  # nobody registered
    client = chinese(page_client(alice))
    add = reverse("site-governance-add", args=[shache_site.pk, "wish"])
    form = client.get(add)
    assert options(form, "household") == [
        "---------",
        "653125001-0031 买买提·托合提",
        "653125001-0032 阿依古丽",
    ]
    assert "本安置区当前未登记在台账上的在册户" in text(form)
    assert client.post(add, {"household": home.pk, "since": "2023-05-01"}).status_code == 302
    # On the ledger now: the other household is offered alone, already chosen.
    assert options(client.get(add), "household") == ["653125001-0032 阿依古丽"]
    wish = FarmingWish.objects.get(household=home)
    edit = reverse("site-governance-edit", args=[shache_site.pk, "wish", wish.pk])
    assert options(client.get(edit), "household") == ["653125001-0031 买买提·托合提"]
    withdrawn = {"since": "2023-05-01", "withdrawn_on": "2024-03-01", "version": wish.version}
    assert client.post(edit, withdrawn).status_code == 302
    # Withdrawn: offered again; a wish from before the withdrawal is refused by the service.
    assert "653125001-0031 买买提·托合提" in options(client.get(add), "household")
    refused = client.post(add, {"household": home.pk, "since": "2024-01-01"})
    assert refused.status_code == 200 and "在该时段已列入台账" in text(refused)
    assert FarmingWish.objects.filter(household=home).count() == 1
    assert client.post(add, {"household": home.pk, "since": "2024-06-01"}).status_code == 302
    assert client.post(add, {"household": other.pk}).status_code == 302
    # Everyone on the ledger: nothing to choose, and the form says where to change an entry.
    form = client.get(add)
    assert options(form, "household") == ["---------"]
    assert "本安置区的在册户当前都已在台账上" in text(form)


def test_the_governance_list_filters_by_a_facility_lacking(alice, governed, shufu_site):
    client = chinese(page_client(alice))
    url = reverse("site-governance-list")
    link = reverse("site-governance", args=[governed.pk])
    body = client.get(url).content.decode()
    assert link in body and reverse("site-governance", args=[shufu_site.pk]) not in body
    assert "1/10" in text(client.get(url)) and "0/9" in text(client.get(url))
    assert link not in client.get(url, {"missing_facility": "clinic"}).content.decode()
    assert link in client.get(url, {"missing_facility": "kindergarten"}).content.decode()
    refused = client.get(url, {"missing_facility": "no-such-item"})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()


def test_the_shortfall_worklist_is_in_the_menu_and_on_the_overview_with_its_reasons(
    alice, governed, shufu_site
):
    """安置区短板 is a worklist: the menu's settlement sites and 概况 show its count (the
    dashboard's figure), and its list names each site with what it lacks."""
    client = chinese(page_client(alice))
    live_figures_refresh(region="65", today=TODAY)
    figure = live_figures("653125", ("region",))["region"]["values"]["sites_with_shortfall"]
    assert figure == 1
    url = worklists.url_of("sites_with_shortfall")
    assert url == reverse("site-governance-list") + "?shortfall=any"
    home = client.get("/").content.decode()
    assert f'<a href="{url}"><strong>1</strong></a>' in home
    assert re.search(r'安置区 <small class="count" title="安置区短板 1"', home)
    # The menu's entry opens the site list, which names the worklist and the governance list.
    sites = client.get(reverse("site-list")).content.decode()
    assert f'<a href="{url}">安置区短板 (1)</a>'.replace("&", "&amp;") in sites
    assert f'href="{reverse("site-governance-list")}"' in sites
    listed = text(client.get(url))
    assert "共 1 个安置区" in listed
    assert "十有缺：党员活动室、业委会办公室" in listed
    # Equipped, the site leaves the worklist; a rule chosen lists only its breakers.
    assert "共 0 个安置区" in text(client.get(url.replace("any", "leader_missing")))


def test_a_site_operator_names_a_new_cadre_or_a_resident_on_a_grid_role(alice, sam, shache_site):
    """The site's operator names a 楼栋长 who is no cadre on record (added for the site, kept by
    its county, the phone masked on the page) or a resident of the site; the county does too."""
    url = reverse("site-governance-add", args=[shache_site.pk, "grid"])
    client = chinese(page_client(sam))
    assert "或新增干部姓名" in text(client.get(url))
    answer = client.post(
        url,
        {
            "role": "building_head",
            "area": "5号楼",
            "cadre_name": "马晓东",
            "cadre_post": "社区干事",
            "phone": "13712345678",
        },
    )
    assert answer.status_code == 302, text(answer)
    role = GridRole.objects.get()
    assert (role.cadre.name, role.cadre.post, role.cadre.phone) == (
        "马晓东",
        "社区干事",
        "13712345678",
    )
    assert (role.cadre.region_id, role.cadre.site) == ("653125", shache_site)
    shown = text(page(sam, shache_site))
    assert "马晓东 楼栋长 5号楼 干部 137****5678" in shown and "13712345678" not in shown
    # The cadre is the county's too: alice names them again elsewhere on the site.
    assert role.cadre in Cadre.objects.visible_to(alice)
    home = HouseholdFactory(site=shache_site)
    resident = PersonFactory(household=home, name="阿依古丽", id_number="653125199001011234")
    answer = chinese(page_client(alice)).post(
        url, {"role": "area_head", "area": "东片", "person": resident.id_number}
    )
    assert answer.status_code == 302
    assert GridRole.objects.get(person=resident).role == "area_head"


def test_a_site_operator_typing_the_countys_cadre_is_refused_without_naming_them(
    alice, sam, shache_site
):
    """The county's own cadre (named for no site) is one the site's operator does not see:
    typing their name as a new cadre is refused, by a message naming nobody, whatever the
    phone unless it is another one (another person); the county is told to choose them."""
    county = services.cadre_save(
        actor=alice,
        data={
            "name": "王建国",
            "post": "副局长",
            "phone": "13912345678",
            "region": Region.objects.get(code="653125"),
        },
    )
    url = reverse("site-governance-add", args=[shache_site.pk, "grid"])
    client = chinese(page_client(sam))
    assert "王建国" not in text(client.get(url))
    for phone in ("", "13912345678"):
        role = {"role": "area_head", "area": "东片", "cadre_name": "王建国", "phone": phone}
        answer = client.post(url, role)
        assert answer.status_code == 200
        shown = text(answer)
        assert "县里已登记同名干部：请联系县级主管部门指定" in shown
        assert "副局长" not in shown and "5678" not in shown.replace(phone, "")
    assert Cadre.objects.count() == 1 and not GridRole.objects.exists()
    answer = chinese(page_client(alice)).post(
        url, {"role": "area_head", "area": "东片", "cadre_name": "王建国"}
    )
    assert "干部 王建国 已登记：请在「干部」中选择" in text(answer)
    # Another phone: another person of the same name, added for the site.
    other = {"role": "area_head", "area": "东片", "cadre_name": "王建国", "phone": "13700000002"}
    assert client.post(url, other).status_code == 302
    assert GridRole.objects.get().cadre != county
    assert Cadre.objects.filter(name="王建国").count() == 2


def test_a_bad_grid_role_says_why_and_changes_nothing(alice, sam, shache_site, shufu_site):
    url = reverse("site-governance-add", args=[shache_site.pk, "grid"])
    client = chinese(page_client(sam))
    first = {"role": "building_head", "area": "5号楼", "cadre_name": "马晓东"}
    assert client.post(url, first).status_code == 302
    cadre = GridRole.objects.get().cadre
    cadres = Cadre.objects.count()
    # The same person twice in the same role.
    answer = client.post(url, {"role": "building_head", "area": "5号楼", "cadre": cadre.pk})
    assert answer.status_code == 200
    assert "马晓东 已担任该网格职务：请修改原记录。" in text(answer)
    # The same cadre named again as a new one: chosen among the cadres instead.
    answer = client.post(url, {"role": "area_head", "area": "西片", "cadre_name": "马晓东"})
    assert "干部 马晓东 已登记：请在「干部」中选择（同名的另一人请填写其联系电话）。" in text(
        answer
    )
    # Two holders at once; none at all.
    both = {"role": "site_head", "cadre": cadre.pk, "cadre_name": "王立新"}
    assert "请指定一名担任人：在册居民或干部，二者选一。" in text(client.post(url, both))
    assert "请指定一名担任人：在册居民或干部，二者选一。" in text(
        client.post(url, {"role": "site_head"})
    )
    # A new cadre whose role is then refused is not added either.
    answer = client.post(url, {"role": "building_head", "cadre_name": "王立新"})
    assert "请填写楼栋长负责的楼栋。" in text(answer)
    # A resident of another site (in alice's area) is refused for this one.
    neighbour = SiteFactory(county_id="653125", code="653125009", name="莎车县团结新村")
    elsewhere = PersonFactory(
        household=HouseholdFactory(site=neighbour), name="买买提", id_number="653125199001011236"
    )
    answer = chinese(page_client(alice)).post(
        url, {"role": "site_head", "person": elsewhere.id_number}
    )
    assert answer.status_code == 200
    assert "买买提 不是本安置区的登记居民。" in text(answer)
    assert GridRole.objects.count() == 1 and Cadre.objects.count() == cadres
    # Out of scope: another county's site is missing.
    other = reverse("site-governance-add", args=[shufu_site.pk, "grid"])
    assert client.post(other, first).status_code == 404
    assert GridRole.objects.count() == 1 and Cadre.objects.count() == cadres
