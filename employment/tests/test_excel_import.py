"""Keeping the labor ledger by Excel: the dry run lists every error by row and column, the commit
writes everything or nothing with the services' rules, a re-import changes nothing, an export comes
back unchanged, and scope holds."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from openpyxl import load_workbook

from conftest import client_for
from employment.excel import LEDGER
from employment.models import Employment, LaborProfile, Unemployment
from employment.selectors import awaiting_job_match
from employment.services import labor_profile_save
from households.tests.factories import HouseholdFactory, PersonFactory
from households.tests.workbooks import xlsx
from resettle.excel import ImportResult, parse_rows, read_sheet, run_import, template_workbook
from resettle.idcard import with_check_char
from resettle.masking import mask_id_number

HEADERS = [c.header for c in LEDGER.columns]
TODAY = dt.date.today()


def labor_row(**values) -> list:
    keys = [c.key for c in LEDGER.columns]
    assert not set(values) - set(keys), set(values) - set(keys)
    return [values.get(k, "") for k in keys]


def book(rows) -> bytes:
    return xlsx(rows, HEADERS)


def run(user, rows, *, commit=False):
    return run_import(LEDGER, book(rows), actor=user, commit=commit, file_name="就业台账.xlsx")


def messages(result) -> list[str]:
    return [f"{e.row}|{e.column}|{e.message}" for e in result.errors]


def history_rows() -> int:
    return LaborProfile.history.count() + Employment.history.count()


@pytest.fixture
def family(shache_household):
    members = {p.relation: p for p in shache_household.members.all()}
    return members["head"], members["spouse"]


def working(person, **changes) -> list:
    values = dict(
        id_number=person.id_number,
        name=person.name,
        capacity="普通劳动力",
        skill="有一般技能",
        language="熟练",
        willingness="就地就近就业",
        training_intention="有培训意向",
        status="已就业",
        channel="公益性岗位",
        job_type="保洁/环卫",
        place="县内",
        employer="莎车县环卫所",
        industry="N",
        monthly_income="1,800.50",
        start_date="2024-03-01",
        organised="否",
    )
    return labor_row(**{**values, **changes})


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_the_commit_writes_all_a_reimport_nothing(alice, family):
    head, spouse = family
    rows = [
        working(head),
        labor_row(
            id_number=spouse.id_number,
            capacity="弱劳动力或半劳动力",
            willingness="暂无就业意愿",
            training_intention="无培训意向",
            status="未就业",
        ),
    ]
    dry = run(alice, rows)
    assert messages(dry) == []
    assert (dry.rows, dry.created, dry.updated, dry.unchanged) == (2, 2, 0, 0)
    assert not LaborProfile.objects.exists() and not Employment.objects.exists()

    done = run(alice, rows, commit=True)
    assert done.committed and done.created == 2
    job = Employment.objects.get(person=head)
    assert (job.channel, job.job_type, job.place, job.industry) == (
        "public_welfare",
        "cleaner",
        "county",
        "N",
    )
    assert job.monthly_income == Decimal("1800.50") and job.start_date == dt.date(2024, 3, 1)
    assert job.end_date is None and job.is_main and not job.organised
    assert head.labor_profile.language == "fluent"
    assert LaborProfile.objects.get(person=spouse).capacity == "weak"
    assert not Employment.objects.filter(person=spouse).exists()
    assert Employment.history.get().history_user == alice

    written = history_rows()
    again = run(alice, rows, commit=True)
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert history_rows() == written


@pytest.mark.django_db
def test_an_imported_profile_s_first_edit_says_what_it_changed_from(alice, family):
    head, _ = family
    assert run(alice, [working(head)], commit=True).committed
    profile = LaborProfile.objects.get(person=head)
    client = client_for(alice)
    url = f"/api/v1/labor-profiles/{profile.pk}/"
    edited = client.patch(url, {"skill": "certified", "version": 1}, format="json")
    assert edited.status_code == 200, edited.json()
    # Saved from the version before that edit: the answer says what changed, from what to what.
    stale = client.patch(url, {"language": "basic", "version": 1}, format="json")
    assert stale.status_code == 409
    assert [(c["user"], c["label"], c["old"], c["new"]) for c in stale.json()["changes"]] == [
        ("alice", "技能水平", "有一般技能", "有技能证书")
    ]


@pytest.mark.django_db
def test_a_later_start_is_a_new_job_and_not_employed_ends_it_today(alice, family):
    head, _ = family
    run(alice, [working(head)], commit=True)
    first = Employment.objects.get(person=head)

    # The same job, a better wage: the open job is updated.
    result = run(alice, [working(head, monthly_income=2100)], commit=True)
    assert result.updated == 1
    first.refresh_from_db()
    assert first.monthly_income == 2100 and first.version == 2

    # A job since 1 September: the old one ends on 31 August.
    result = run(
        alice,
        [
            working(
                head, start_date="2025-09-01", channel="外出务工输出", job_type="务工", place="省外"
            )
        ],
        commit=True,
    )
    assert result.created == 1
    first.refresh_from_db()
    assert first.end_date == dt.date(2025, 8, 31)
    second = Employment.objects.get(person=head, end_date__isnull=True)
    assert (second.channel, second.place) == ("labor_export", "outside")
    assert not Unemployment.objects.exists()  # from one job straight to the next

    # 未就业 without a date: the job ended by the import day, and the person, who wants work,
    # is registered unemployed and awaits a job match today.
    result = run(alice, [labor_row(id_number=head.id_number, status="未就业")], commit=True)
    assert result.updated == 1
    second.refresh_from_db()
    assert second.end_date == TODAY - dt.timedelta(days=1)
    registration = Unemployment.objects.get(person=head)
    assert registration.registered_on == second.end_date and registration.ended_spell == second
    assert head in awaiting_job_match(TODAY)

    # Working again: the registration closes on the first day of the job.
    run(alice, [working(head, start_date=TODAY.isoformat())], commit=True)
    registration.refresh_from_db()
    assert registration.closed_on == TODAY


@pytest.mark.django_db
def test_bad_rows_are_named_by_row_and_column_and_nothing_changes(alice, family, shufu_household):
    head, spouse = family
    labor_profile_save(actor=alice, person=spouse, data={"capacity": "lost"})
    outsider = shufu_household.members.get()
    rows = [
        working(head),  # row 2: good, but nothing is written while others are bad
        labor_row(id_number="11010519491231002X", status="未就业"),  # 3: nobody
        working(outsider),  # 4: outside alice's area
        working(head, employer="另一家"),  # 5: the same person twice
        working(spouse),  # 6: her profile says 丧失劳动力… but the row changes it: allowed
        labor_row(id_number=spouse.id_number, status="已就业", capacity="丧失劳动力"),  # 7
    ]
    result = run(alice, rows, commit=True)
    assert not result.committed
    got = messages(result)
    assert got[0].startswith("3|身份证号|") and "户籍" not in got[0] and "先在" in got[0]
    # Someone of another county is told apart from nobody by nothing: not named, not placed.
    assert got[1] == got[0].replace("3|", "4|").replace("11010519491231002X", outsider.id_number)
    assert outsider.name not in got[1] and "范围以外" not in got[1]
    assert got[2].startswith("5|身份证号|") and "第 2 行" in got[2]
    assert got[3].startswith("7|身份证号|") and "第 6 行" in got[3]
    assert len(got) == 4
    assert not LaborProfile.objects.filter(person=head).exists()
    assert LaborProfile.objects.get(person=spouse).capacity == "lost"


@pytest.mark.parametrize(
    ("values", "column", "words"),
    [
        ({"status": "已就业", "end_date": "2025-01-01"}, "就业结束日期", "未就业"),
        ({"channel": ""}, "就业渠道", "就业渠道"),
        ({"start_date": ""}, "就业开始日期", "就业开始日期"),
        ({"monthly_income": -5}, "月收入", "之间"),
        ({"monthly_income": 999999}, "月收入", "之间"),
        ({"monthly_income": "1800.555"}, "月收入", "分"),
        ({"start_date": "2099-01-01"}, "就业开始日期", "晚于今天"),
        ({"status": "", "channel": "外出务工输出"}, "就业状态", "已就业"),
        ({"capacity": "无劳动力"}, "劳动能力", "无劳动力"),
        ({"channel": "打零工"}, "就业渠道", "打零工"),
    ],
)
@pytest.mark.django_db
def test_each_broken_rule_is_refused_with_what_to_fix(alice, family, values, column, words):
    head, _ = family
    row = working(head)
    for key, value in values.items():
        row[[c.key for c in LEDGER.columns].index(key)] = value
    result = run(alice, [row], commit=True)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(2, column)], messages(result)
    assert words in result.errors[0].message
    assert not LaborProfile.objects.exists() and not Employment.objects.exists()


@pytest.mark.django_db
def test_ending_before_the_start_and_a_new_profile_without_capacity_are_refused(alice, family):
    head, spouse = family
    run(alice, [working(head)], commit=True)
    result = run(
        alice,
        [
            labor_row(id_number=head.id_number, status="未就业", end_date="2024-01-01"),
            labor_row(id_number=spouse.id_number, willingness="就地就近就业"),
        ],
        commit=True,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "就业结束日期"), (3, "劳动能力")]
    assert "2024-03-01" in result.errors[0].message
    assert Employment.objects.get().end_date is None


@pytest.mark.django_db
def test_an_export_comes_back_unchanged_with_its_masked_numbers(alice, family):
    head, spouse = family
    run(
        alice,
        [working(head), labor_row(id_number=spouse.id_number, capacity="普通劳动力")],
        commit=True,
    )
    exported = list(LEDGER.export_rows(LEDGER.export_query(alice, {}), reveal=False))
    assert exported[0][:2] == [mask_id_number(head.id_number), head.name]
    assert exported[0][HEADERS.index("就业状态")] == "已就业"
    assert exported[0][HEADERS.index("月收入")] == Decimal("1800.50")
    assert exported[1][HEADERS.index("就业状态")] == "未就业"
    written = history_rows()
    result = run(alice, exported, commit=True)
    assert result.committed and result.unchanged == 2, messages(result)
    assert history_rows() == written
    # A filter of the list narrows the export the same way.
    assert len(list(LEDGER.export_query(alice, {"employed": "true"}))) == 1


@pytest.mark.django_db
def test_someone_saving_meanwhile_stops_the_commit(alice, family):
    head, _ = family
    labor_profile_save(actor=alice, person=head, data={"capacity": "ordinary"})
    data = book([working(head)])
    rows = parse_rows(read_sheet(data, LEDGER.columns), LEDGER.columns, [])
    plan = LEDGER.plan(rows, actor=alice, result=ImportResult())
    LaborProfile.objects.update(skill="certified", version=F("version") + 1)  # a form, meanwhile
    with pytest.raises(ValidationError, match="重新上传"):
        LEDGER.commit(plan, actor=alice)
    assert LaborProfile.objects.get().skill == "certified"


@pytest.mark.django_db
def test_the_api_imports_and_exports_the_labor_ledger(alice, bob, family):
    head, _ = family
    api = client_for(alice)

    def post(client, **extra):
        data = {"file": SimpleUploadedFile("就业台账.xlsx", book([working(head)])), **extra}
        return client.post("/api/v1/employments/import/", data, format="multipart")

    dry = post(api)
    assert dry.status_code == 200 and dry.json()["created"] == 1
    assert not Employment.objects.exists()
    assert post(api, dry_run="false").status_code == 200
    assert Employment.objects.get().person == head
    # A prefecture reviewer reads but may not import.
    assert post(client_for(bob), dry_run="false").status_code == 403

    csv = api.get("/api/v1/employments/export/?format=csv")
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert mask_id_number(head.id_number) in text and head.id_number not in text
    assert "公益性岗位" in text


@pytest.mark.django_db
def test_the_template_has_the_ledger_columns_and_drop_downs(alice):
    workbook = load_workbook(io.BytesIO(template_workbook(LEDGER)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert HEADERS[:3] == ["身份证号", "姓名", "户编号"]
    assert HEADERS[3:] == [
        "劳动能力",
        "技能水平",
        "国语水平",
        "就业意愿",
        "培训意向",
        "服务需求",
        "登记日期",
        "就业状态",
        "就业渠道",
        "岗位类型",
        "就业地域",
        "就业单位",
        "所属行业",
        "月收入",
        "就业开始日期",
        "就业结束日期",
        "是否有组织输出",
    ]
    lists = {c.value for c in workbook["代码表"][1]}
    assert {"劳动能力", "就业状态", "就业渠道", "所属行业"} <= lists


@pytest.mark.django_db
def test_the_pages_import_and_export_the_labor_ledger(alice, charlie, family, client):
    head, _ = family
    client.force_login(alice)
    page = client.get("/labor/")
    assert "从 Excel 导入" in page.content.decode()
    checked = client.post(
        "/labor/import/",
        {"file": SimpleUploadedFile("就业台账.xlsx", book([working(head)]))},
    )
    assert checked.status_code == 302
    job_page = client.get(checked["Location"]).content.decode()
    assert "确认导入" in job_page
    client.post(checked["Location"] + "commit/")
    assert Employment.objects.filter(person=head, end_date__isnull=True).exists()
    export = client.get("/labor/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [c.value for c in sheet[2]][:4] == [
        mask_id_number(head.id_number),
        head.name,
        "653125001-0001",
        "普通劳动力",
    ]
    # Someone from elsewhere sees no one of alice's county in their export.
    client.force_login(charlie)
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get("/labor/export/").streaming_content))
    ).active
    assert sheet.max_row == 1


@pytest.mark.django_db
def test_a_job_may_not_start_before_the_previous_one_ended(alice, family):
    head, _ = family
    run(alice, [working(head)], commit=True)
    run(
        alice,
        [labor_row(id_number=head.id_number, status="未就业", end_date="2025-06-30")],
        commit=True,
    )
    result = run(alice, [working(head, start_date="2025-06-01")], commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "就业开始日期")]
    assert "2025-06-30" in result.errors[0].message
    assert Employment.objects.count() == 1
    assert run(alice, [working(head, start_date="2025-07-01")], commit=True).created == 1


@pytest.mark.django_db
def test_namesakes_with_one_masked_number_are_told_apart_by_household(alice, shache_site):
    """Two 阿孜古丽 of the county whose numbers end alike mask to the same text: the household
    number on the exported row tells them apart."""
    first17 = "65312519981205422"
    numbers = [with_check_char(first17)]
    day = dt.date(2021, 1, 1)
    while len(numbers) < 2:
        candidate = with_check_char(f"653125{day:%Y%m%d}422")
        if candidate[-1] == numbers[0][-1]:
            numbers.append(candidate)
        day += dt.timedelta(days=1)
    twins = [
        PersonFactory(household=HouseholdFactory(site=shache_site), name="阿孜古丽", id_number=n)
        for n in numbers
    ]
    assert mask_id_number(numbers[0]) == mask_id_number(numbers[1])
    run(
        alice, [labor_row(id_number=p.id_number, capacity="普通劳动力") for p in twins], commit=True
    )
    exported = list(LEDGER.export_rows(LEDGER.export_query(alice, {}), reveal=False))
    skill = HEADERS.index("技能水平")
    exported[1][skill] = "有技能证书"  # the second namesake's row is edited
    result = run(alice, exported, commit=True)
    assert result.committed and (result.updated, result.unchanged) == (1, 1), messages(result)
    profiles = dict(LaborProfile.objects.values_list("person__household__household_no", "skill"))
    assert profiles[exported[1][2]] == "certified" and profiles[exported[0][2]] == ""
    # Without the household number they cannot be told apart: the row is refused.
    exported[1][2] = ""
    assert [e.column for e in run(alice, exported).errors] == ["身份证号"]


@pytest.mark.django_db
def test_the_check_lists_each_persons_profile_and_job_changes_and_new_records(alice, family):
    head, spouse = family
    run(alice, [working(head)], commit=True)
    result = run(
        alice,
        [
            working(head, employer="莎车县园林所", monthly_income="2,000"),
            labor_row(id_number=spouse.id_number, capacity="普通劳动力", status=""),
        ],
    )
    assert messages(result) == [] and (result.created, result.updated) == (1, 1)
    shown = {e["label"]: e for e in result.preview.shown(reveal=False)}
    job = shown[head.name]["parts"]
    assert (shown[head.name]["action"], shown[head.name]["detail"]) == ("changed", "653125001-0001")
    assert [(p["label"], p["action"]) for p in job] == [("当前主要工作", "changed")]
    assert [(f["header"], f["old"], f["new"]) for f in job[0]["fields"]] == [
        ("就业单位", "莎车县环卫所", "莎车县园林所"),
        ("月收入", "1800.50", "2000.00"),
    ]
    profile = shown[spouse.name]["parts"][0]
    assert (profile["label"], profile["action"]) == ("劳动力档案", "created")
    assert ("劳动能力", "", "普通劳动力") in [
        (f["header"], f["old"], f["new"]) for f in profile["fields"]
    ]
