"""Importing the household ledger from Excel: the dry run lists every error by row and column,
the commit writes everything or nothing, a re-import changes nothing, scope holds."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from openpyxl import load_workbook

from households.excel import LEDGER
from households.models import Household, Person
from households.tests.factories import make_id_number
from households.tests.workbooks import HEADERS, person_row, xlsx
from resettle.excel import (
    ImportResult,
    export_xlsx,
    parse_rows,
    read_sheet,
    run_import,
    template_workbook,
)
from resettle.idcard import with_check_char
from resettle.masking import mask_id_number

ID_HEAD = make_id_number("653125", dt.date(1985, 3, 15), 1, "male")
ID_SPOUSE = make_id_number("653125", dt.date(1988, 7, 20), 2, "female")
ID_CHILD = make_id_number("653125", dt.date(2012, 1, 9), 3, "male")


def family(no="653125001-0100", site="653125001", **household) -> list[list]:
    common = {
        "household_no": no,
        "site_code": site,
        "dwelling": "3栋2单元501",
        "category": "建档立卡搬迁户",
        "relocation_year": 2019,
        "move_in_date": "2019-05-01",
        "old_house_demolished": "是",
        "homestead_reclaimed": "否",
        "property_certificate_status": "办理中",
        "hukou_transferred": "是",
        "phone": "13912345678",
        **household,
    }
    return [
        person_row(
            **common, name="买买提·艾力", id_number=ID_HEAD, relation="户主", ethnicity="维吾尔族"
        ),
        person_row(
            **common, name="阿依古丽", id_number=ID_SPOUSE, relation="配偶", ethnicity="维吾尔"
        ),
        person_row(
            household_no=no,
            name="艾克拜尔",
            id_number=ID_CHILD,
            relation="子女",
            schooling="义务教育在读",
        ),
    ]


def run(user, data, *, commit=False):
    return run_import(LEDGER, data, actor=user, commit=commit, file_name="台账.xlsx")


def messages(result) -> list[str]:
    return [f"{e.row}|{e.column}|{e.message}" for e in result.errors]


@pytest.mark.django_db
def test_a_dry_run_counts_and_writes_nothing_then_the_commit_writes_it_all(alice, shache_site):
    data = xlsx(family())
    dry = run(alice, data)
    assert messages(dry) == []
    assert (dry.rows, dry.created, dry.updated, dry.unchanged) == (3, 3, 0, 0)
    assert not Household.objects.filter(household_no="653125001-0100").exists()

    done = run(alice, data, commit=True)
    assert done.committed and done.created == 3
    household = Household.objects.get(household_no="653125001-0100")
    assert household.site == shache_site
    assert household.move_in_date == dt.date(2019, 5, 1)
    # 是 with no date: done from the import on, its date unknown (stated in the notes sheet)
    assert household.old_house_demolished_on == dt.date.today()
    assert household.old_house_demolished_on_unknown
    assert household.hukou_transferred and not household.homestead_reclaimed
    members = {p.name: p for p in household.members.all()}
    assert members["阿依古丽"].gender == "female"
    assert members["阿依古丽"].ethnicity == "05"
    assert members["艾克拜尔"].birth_date == dt.date(2012, 1, 9)
    # The child row left the household's fields blank: it belongs to the household all the same.
    assert members["艾克拜尔"].site_id == shache_site.pk
    assert members["买买提·艾力"].registered_on == dt.date(2019, 5, 1)
    assert household.history.get().history_user == alice


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(alice, shache_site):
    data = xlsx(family())
    run(alice, data, commit=True)
    history = Household.history.count() + Person.history.count()
    again = run(alice, data, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Household.history.count() + Person.history.count() == history
    assert Household.objects.get(household_no="653125001-0100").version == 1


@pytest.mark.django_db
def test_members_imported_and_recategorised_are_counted_under_their_households_category(
    alice, shache_site
):
    run(alice, xlsx(family()), commit=True)
    household = Household.objects.get(household_no="653125001-0100")
    assert set(household.members.values_list("household_category", flat=True)) == {
        "registered_poor"
    }
    result = run(alice, xlsx(family(category="同步搬迁户")), commit=True)
    assert result.updated == 3 and not result.errors
    assert set(household.members.values_list("household_category", flat=True)) == {"concurrent"}


@pytest.mark.django_db
def test_a_changed_cell_updates_the_record_raises_its_version_and_records_who(alice, shache_site):
    run(alice, xlsx(family()), commit=True)
    rows = family(dwelling="5栋1单元101")
    rows[2] = person_row(
        household_no="653125001-0100",
        name="艾克拜尔",
        id_number=ID_CHILD,
        relation="子女",
        status="迁出",
    )
    result = run(alice, xlsx(rows), commit=True)
    assert (result.created, result.updated, result.unchanged) == (0, 3, 0)
    household = Household.objects.get(household_no="653125001-0100")
    assert household.dwelling == "5栋1单元101" and household.version == 2
    child = household.members.get(id_number=ID_CHILD)
    assert child.status == "moved_out" and child.status_changed_on == dt.date.today()
    assert child.history.first().history_user == alice


@pytest.mark.django_db
def test_dates_are_read_in_every_way_cadres_write_them(alice, shache_site):
    forms = [dt.date(2019, 5, 1), "2019-05-01", "2019/5/1", "2019年5月1日", 43586]
    rows = []
    for index, written in enumerate(forms):
        number = make_id_number("653125", dt.date(1970, 1, 1), 10 + index, "male")
        rows.append(
            person_row(
                household_no=f"H{index}",
                site_code="653125001",
                category="同步搬迁户",
                move_in_date=written,
                name=f"户主{index}",
                id_number=number,
                relation="户主",
            )
        )
    result = run(alice, xlsx(rows), commit=True)
    assert messages(result) == []
    assert set(Household.objects.values_list("move_in_date", flat=True)) == {dt.date(2019, 5, 1)}


@pytest.mark.django_db
def test_every_bad_row_is_named_with_its_column_and_nothing_is_written(
    alice, shache_site, shufu_site
):
    rows = family()
    rows[0][HEADERS.index("身份证号")] = ID_HEAD[:-1] + ("0" if ID_HEAD[-1] != "0" else "1")
    rows[1][HEADERS.index("搬迁类型")] = "同步搬迁户"  # disagrees with row 2
    rows.append(
        person_row(
            household_no="653121001-9",
            site_code="653121001",
            category="同步搬迁户",
            name="外县",
            id_number=make_id_number("653121", dt.date(1990, 1, 1), 5, "male"),
            relation="户主",
        )
    )
    rows.append(
        person_row(
            household_no="X1",
            site_code="999",
            category="同步搬迁户",
            name="无名",
            id_number=make_id_number("653125", dt.date(1990, 1, 1), 6, "male"),
            relation="户主",
            move_in_date="明年",
        )
    )
    result = run(alice, xlsx(rows), commit=True)
    found = messages(result)
    assert any(m.startswith("2|身份证号|") and "校验" in m for m in found), found
    assert any(m.startswith("3|搬迁类型|") and "第2行" in m for m in found), found
    assert any(m.startswith("5|安置区编码|") and "范围" in m for m in found), found
    assert any(m.startswith("6|入住日期|") and "2019-05-01" in m for m in found), found
    assert any(m.startswith("6|安置区编码|") and "999" in m for m in found), found
    assert not result.committed
    assert Household.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_an_id_turned_into_a_number_by_excel_is_explained(alice, shache_site):
    rows = family()
    rows[0][HEADERS.index("身份证号")] = 653125198503150017
    result = run(alice, xlsx(rows))
    assert any(
        e.row == 2 and e.column == "身份证号" and "文本" in e.message for e in result.errors
    ), messages(result)
    rows[0][HEADERS.index("身份证号")] = "6.53125E+17"
    result = run(alice, xlsx(rows))
    assert any("科学计数" in e.message for e in result.errors), messages(result)


@pytest.mark.django_db
def test_duplicate_ids_in_the_file_and_in_another_household_are_refused(
    alice, shache_household, shufu_household
):
    rows = family()
    rows[2][HEADERS.index("身份证号")] = ID_SPOUSE
    taken = shache_household.members.first()
    outside = shufu_household.members.first()
    rows.append(
        person_row(
            household_no="N1",
            site_code="653125001",
            category="同步搬迁户",
            name="甲",
            id_number=taken.id_number,
            relation="户主",
        )
    )
    rows.append(
        person_row(
            household_no="N2",
            site_code="653125001",
            category="同步搬迁户",
            name="乙",
            id_number=outside.id_number,
            relation="户主",
        )
    )
    result = run(alice, xlsx(rows))
    found = messages(result)
    assert any(m.startswith("4|身份证号|") and "第3行" in m for m in found), found
    assert any(m.startswith("5|身份证号|") and shache_household.household_no in m for m in found), (
        found
    )
    # Outside alice's area the household is not named.
    assert any(
        m.startswith("6|身份证号|") and shufu_household.household_no not in m and "范围以外" in m
        for m in found
    ), found


@pytest.mark.django_db
def test_a_household_needs_exactly_one_registered_head(alice, shache_site):
    rows = family()
    rows[1][HEADERS.index("与户主关系")] = "户主"
    result = run(alice, xlsx(rows))
    assert any(e.column == "与户主关系" and "2" in e.message for e in result.errors), messages(
        result
    )


@pytest.mark.django_db
def test_headers_are_found_below_a_title_and_missing_ones_are_named(alice, shache_site):
    result = run(alice, xlsx(family(), above=[["莎车县搬迁户台账"], []]), commit=True)
    assert result.committed and result.created == 3
    # A required column missing is named, and nothing is read.
    headers = [h for h in HEADERS if h not in {"身份证号", "与户主关系", "民族"}]
    result = run(alice, xlsx([], headers=headers))
    assert result.errors[0].row is None
    assert "身份证号" in result.errors[0].message and "与户主关系" in result.errors[0].message
    assert "民族" not in result.errors[0].message
    # A county's own sheet without optional columns imports; the absent ones are named.
    keys = [c.key for c in LEDGER.columns]
    kept = [i for i, h in enumerate(HEADERS) if h not in {"民族", "人员状态"}]
    rows = [[row[i] for i in kept] for row in family(no="653125001-0200")]
    for row in rows:
        row[keys.index("id_number")] = ""
    rows[0][kept.index(keys.index("id_number"))] = with_check_char("65312519900101001")
    result = run(alice, xlsx(rows[:1], headers=[HEADERS[i] for i in kept]), commit=True)
    assert result.committed and result.created == 1, result.errors
    assert any("民族" in w and "人员状态" in w for w in result.warnings)
    assert Person.objects.get(id_number=with_check_char("65312519900101001")).status == "active"


@pytest.mark.django_db
def test_unknown_columns_are_ignored_with_a_warning_and_empty_rows_skipped(alice, shache_site):
    rows = [[*row, "备注"] for row in family()]
    rows.insert(1, [""] * len(HEADERS))
    result = run(alice, xlsx(rows, headers=[*HEADERS, "备注说明"]), commit=True)
    assert result.committed and result.rows == 3
    assert any("备注说明" in w for w in result.warnings)


@pytest.mark.django_db
def test_merged_data_cells_read_on_each_row_and_formulas_are_refused(alice, shache_site):
    # A household's 户编号 merged down over its members' rows, as county ledgers have it.
    def merge(sheet):
        sheet.merge_cells("A2:A4")

    result = run(alice, xlsx(family(), edit=merge))
    assert not result.errors and result.created == 3
    assert any("A2:A4" in w and "合并" in w for w in result.warnings)

    def merge_into_header(sheet):
        sheet.merge_cells("B1:B2")

    result = run(alice, xlsx(family(), edit=merge_into_header))
    assert "合并" in result.errors[0].message and "B1:B2" in result.errors[0].message

    def formula(sheet):
        sheet["C3"] = "=C2"

    result = run(alice, xlsx(family(), edit=formula))
    assert "公式" in result.errors[0].message and "C3" in result.errors[0].message
    assert Household.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"name,id\n1,2\n", "不是 Excel"),
        (b"PK\x03\x04 truncated", "损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "密码"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
    ],
)
def test_files_that_are_not_a_readable_xlsx_are_refused(alice, data, says):
    result = run(alice, data)
    assert result.errors and says in result.errors[0].message


@pytest.mark.django_db
def test_a_zip_bomb_and_a_file_over_the_limit_are_refused(alice, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 2**20))
    result = run(alice, buffer.getvalue())
    assert "不安全" in result.errors[0].message
    settings.EXCEL_UPLOAD_MAX_BYTES = 1024
    result = run(alice, xlsx(family()))
    assert "MB" in result.errors[0].message


@pytest.mark.django_db
def test_a_household_outside_the_users_area_is_not_changed(charlie, shache_household):
    rows = [
        person_row(
            household_no=shache_household.household_no,
            site_code="653121001",
            category="同步搬迁户",
            name="改名",
            id_number=shache_household.members.first().id_number,
            relation="户主",
        )
    ]
    result = run(charlie, xlsx(rows), commit=True)
    assert result.errors and not result.committed
    assert shache_household.members.first().name != "改名"


@pytest.mark.django_db
def test_the_template_has_the_exact_headers_drop_downs_text_columns_and_notes(alice):
    book = load_workbook(io.BytesIO(template_workbook(LEDGER)))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "户编号",
        "安置区编码",
        "楼栋单元门牌",
        "搬迁类型",
        "贫困户属性",
        "迁出地区划代码",
        "迁出地详细地址",
        "搬迁年度",
        "入住日期",
        "旧房是否拆除",
        "旧房拆除日期",
        "宅基地是否复垦",
        "宅基地复垦日期",
        "不动产权证状态",
        "不动产权证号",
        "办证日期",
        "户籍是否迁入",
        "户籍迁入日期",
        "联系电话",
        "姓名",
        "身份证号",
        "与户主关系",
        "民族",
        "文化程度",
        "在校情况",
        "健康状况",
        "残疾等级",
        "是否参加医保",
        "是否参加养老保险",
        "是否低保",
        "是否特困供养",
        "人员状态",
        "状态变更日期",
    ]
    id_letter = "U"
    assert sheet[f"{id_letter}2"].number_format == "@" and sheet["S2"].number_format == "@"
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert {"D2", "E2", "J2", "N2", "V2", "W2", "AF2"} <= validated
    notes = book["填写说明"]
    assert [r[0].value for r in notes.iter_rows(min_row=2, max_row=34)] == HEADERS
    # The example sheet's rows import as they are.
    example = book["填写示例"]
    rows = [[c.value for c in row] for row in example.iter_rows(min_row=2)]
    assert len(rows) == 2


@pytest.mark.django_db
def test_checking_a_file_reads_the_registry_in_a_few_queries_whatever_its_length(
    alice, shache_site, django_assert_max_num_queries
):
    rows = []
    for index in range(40):
        number = make_id_number("653125", dt.date(1980, 1, 1), 100 + index, "male")
        rows.append(
            person_row(
                household_no=f"Q{index}",
                site_code="653125001",
                category="同步搬迁户",
                name=f"户主{index}",
                id_number=number,
                relation="户主",
            )
        )
    alice.memberships.count()
    with django_assert_max_num_queries(10):
        result = run(alice, xlsx(rows))
    assert result.created == 40 and not result.errors


@pytest.mark.django_db
def test_a_member_of_a_household_in_the_file_cannot_be_entered_in_another_too(
    alice, shache_household
):
    member = shache_household.members.first()
    rows = [
        person_row(
            household_no=shache_household.household_no,
            name=member.name,
            id_number=member.id_number,
            relation="户主",
        ),
        person_row(
            household_no="N3",
            site_code="653125001",
            category="同步搬迁户",
            name=member.name,
            id_number=member.id_number,
            relation="户主",
        ),
    ]
    result = run(alice, xlsx(rows), commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")], messages(result)
    assert shache_household.household_no in result.errors[0].message
    assert not Household.objects.filter(household_no="N3").exists()


@pytest.mark.django_db
def test_one_id_registered_in_two_households_of_the_file_is_refused(alice, shache_site):
    number = make_id_number("653125", dt.date(1975, 2, 2), 40, "male")
    rows = [
        person_row(
            household_no=no,
            site_code="653125001",
            category="同步搬迁户",
            name="甲",
            id_number=number,
            relation="户主",
        )
        for no in ("A1", "A2")
    ]
    result = run(alice, xlsx(rows), commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")], messages(result)
    assert "第2行" in result.errors[0].message and Household.objects.count() == 0


@pytest.mark.django_db
def test_a_member_who_moved_out_here_but_is_registered_elsewhere_is_not_registered_twice(
    alice, shache_household, shache_site
):
    elsewhere = shache_household.members.first()
    moved = Household.objects.create(household_no="M1", site=shache_site, category="concurrent")
    Person.objects.create(
        household=moved,
        site=shache_site,
        name=elsewhere.name,
        id_number=elsewhere.id_number,
        gender=elsewhere.gender,
        birth_date=elsewhere.birth_date,
        relation="head",
        status="moved_out",
        registered_on=dt.date(2019, 1, 1),
        status_changed_on=dt.date(2020, 1, 1),
    )
    rows = [
        person_row(
            household_no="M1",
            name=elsewhere.name,
            id_number=elsewhere.id_number,
            relation="户主",
            status="迁出",
        ),
        person_row(
            household_no="M2",
            site_code="653125001",
            category="同步搬迁户",
            name=elsewhere.name,
            id_number=elsewhere.id_number,
            relation="户主",
        ),
    ]
    result = run(alice, xlsx(rows), commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")], messages(result)
    assert shache_household.household_no in result.errors[0].message


@pytest.mark.django_db
def test_odd_digits_get_a_message_not_a_crash(alice, shache_site):
    rows = family(relocation_year="2019①")
    rows[0][HEADERS.index("身份证号")] = "²" + ID_HEAD[1:]
    result = run(alice, xlsx(rows))
    assert {(e.row, e.column) for e in result.errors} >= {(2, "搬迁年度"), (2, "身份证号")}


@pytest.mark.django_db
def test_the_templates_example_sheet_is_never_read_as_data(alice, shache_site):
    book = load_workbook(io.BytesIO(template_workbook(LEDGER)))
    example = [[c.value for c in row] for row in book["填写示例"].iter_rows(min_row=2)]
    sheet = book.worksheets[0]
    for row in family():
        sheet.append(row)
    sheet.delete_cols(HEADERS.index("与户主关系") + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(alice, buffer.getvalue())
    assert "与户主关系" in result.errors[0].message
    # The example rows themselves are right: they import as they are.
    assert not run(alice, xlsx(example)).errors


@pytest.mark.django_db
def test_values_starting_with_a_formula_sign_and_landline_phones_survive_a_round_trip(
    alice, shache_site
):
    run(alice, xlsx(family(phone="0998-1234567")), commit=True)
    Household.objects.update(dwelling="-2栋", origin_address="=某乡")
    query = LEDGER.export_query(alice, {})
    with export_xlsx(LEDGER.columns, LEDGER.title, LEDGER.export_rows(query, reveal=True)) as f:
        data = f.read()
    again = run(alice, data, commit=True)
    assert (again.updated, again.unchanged) == (0, 3), messages(again)
    household = Household.objects.get()
    assert (household.dwelling, household.origin_address, household.phone) == (
        "-2栋",
        "=某乡",
        "0998-1234567",
    )


@pytest.mark.django_db
def test_records_saved_by_someone_else_during_the_check_are_not_overwritten(alice, shache_site):
    run(alice, xlsx(family()), commit=True)
    data = xlsx(family(dwelling="9栋"))
    rows = parse_rows(read_sheet(data, LEDGER.columns), LEDGER.columns, [])
    plan = LEDGER.plan(rows, actor=alice, result=ImportResult())
    Household.objects.update(dwelling="8栋", version=F("version") + 1)  # a form, meanwhile
    with pytest.raises(ValidationError, match="重新上传"):
        LEDGER.commit(plan, actor=alice)
    assert Household.objects.get().dwelling == "8栋"


@pytest.mark.django_db
def test_a_household_left_headless_before_is_no_error_when_the_file_leaves_its_members(
    alice, shache_household
):
    head = shache_household.members.get(relation="head")
    head.status, head.status_changed_on = "deceased", dt.date(2025, 3, 1)
    head.save()
    rows = [
        person_row(
            household_no=shache_household.household_no,
            dwelling="2栋",
            name=p.name,
            id_number=p.id_number,
            relation=LEDGER.column("relation").render(p.relation),
            status=LEDGER.column("status").render(p.status),
        )
        for p in shache_household.members.all()
    ]
    result = run(alice, xlsx(rows), commit=True)
    assert not result.errors and result.updated == 2
    # Adding a member is the moment to name a head.
    rows.append(
        person_row(
            household_no=shache_household.household_no,
            name="新成员",
            id_number=ID_CHILD,
            relation="子女",
        )
    )
    result = run(alice, xlsx(rows))
    assert [e.column for e in result.errors] == ["与户主关系"]


@pytest.mark.django_db
def test_siblings_whose_masked_numbers_look_alike_are_told_apart_by_name(alice, shache_site):
    one = with_check_char("65312520070906316")
    tail = one[-4:]
    other = next(
        n
        for seq in range(1000)
        if (n := with_check_char(f"653125201010043{seq:02d}"[:17]))[-4:] == tail
    )
    rows = [
        *family()[:1],
        person_row(household_no="653125001-0100", name="木尼热", id_number=one, relation="子女"),
        person_row(
            household_no="653125001-0100", name="麦尔哈巴", id_number=other, relation="子女"
        ),
    ]
    run(alice, xlsx(rows), commit=True)
    for row in rows:
        row[HEADERS.index("身份证号")] = mask_id_number(row[HEADERS.index("身份证号")])
    again = run(alice, xlsx(rows), commit=True)
    assert not again.errors and again.unchanged == 3, messages(again)
