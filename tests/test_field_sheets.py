"""County sheets as offices really type them (shaped like shared/testdata/field): every
recognisable value recognised, the damaged ones refused with what to do, nothing guessed. Each
kind is tried in several columns and ledgers, not only the one sample file shows."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from employment.excel import LEDGER as LABOR
from employment.models import Employment, LaborProfile
from households.excel import LEDGER
from households.models import Household, Person
from households.tests.factories import make_id_number
from households.tests.workbooks import HEADERS, person_row, xlsx
from resettle.excel import estimate_rows, run_import, template_workbook
from resettle.jobs import import_start

FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
pytestmark = pytest.mark.django_db


def ids(n: int, year: int = 1980) -> list[str]:
    return [make_id_number("653125", dt.date(year + i, 3, 4), i + 1, "male") for i in range(n)]


def household(no: str, members: list[dict], site="653125001") -> list[list]:
    """Rows of one household: the head's row carries the household's fields."""
    rows = []
    for index, member in enumerate(members):
        common = {"household_no": no}
        if index == 0:
            common |= {
                "site_code": site,
                "category": "建档立卡搬迁户",
                "relocation_year": 2019,
                "move_in_date": "2019-05-01",
            }
        rows.append(person_row(**common, **member))
    return rows


def run(user, data, ledger=LEDGER, commit=True):
    return run_import(ledger, data, actor=user, commit=commit, file_name="台账.xlsx")


def test_id_numbers_with_a_text_mark_full_width_or_invisible_characters_are_the_numbers(
    alice, shache_site
):
    numbers = ids(7)
    typed = [
        "'" + numbers[0],
        "’" + numbers[1],
        numbers[2].translate(FULL),
        "\u200b" + numbers[3],
        "\ufeff" + numbers[4] + "\u3000",
        "\u00a0" + numbers[5][:6] + "\u2060" + numbers[5][6:],
        "‘" + numbers[6].translate(FULL) + "\u200d",
    ]
    relations = ["户主"] + ["子女"] * 6
    rows = household(
        "FT01",
        [
            {"name": f"测试{i}", "id_number": t, "relation": r}
            for i, (t, r) in enumerate(zip(typed, relations, strict=True))
        ],
    )
    rows[0][[c.key for c in LEDGER.columns].index("hukou_transferred")] = "√"
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    assert sorted(Person.objects.values_list("id_number", flat=True)) == sorted(numbers)
    # Done without a date: the check says what will be marked 日期不详.
    assert any("「户籍是否迁入」：1 条记录（户 FT01）" in w for w in result.warnings)
    # The user is told which rows were read differently from what they see, not blamed.
    warnings = " ".join(result.warnings)
    assert "身份证号" in warnings and "全角" in warnings and "不可见字符" in warnings
    # The same file again changes nothing.
    again = run(alice, xlsx(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_a_household_number_or_site_code_with_a_full_width_digit_is_the_same_key(
    alice, shache_site
):
    head, spouse, child = ids(3)
    rows = household(
        "FT0901",
        [
            {"name": "测试申", "id_number": head, "relation": "户主"},
            {"name": "测试酉", "id_number": spouse, "relation": "配偶"},
        ],
    )
    rows += household(
        "FT09０1",
        [{"name": "测试戌", "id_number": child, "relation": "子女"}],
        site="６５３１２５００１",
    )
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    assert list(Household.objects.values_list("household_no", flat=True)) == ["FT0901"]
    assert Household.objects.get().members.count() == 3


def test_short_and_written_out_forms_of_code_lists_are_understood(alice, shache_site):
    forms = {
        "汉": "01",
        "回": "03",
        "藏": "04",
        "维族": "05",
        "维吾尔": "05",
        "哈萨克": "17",
        "柯尔克孜": "29",
        "塔吉克": "41",
        "蒙族": "02",
        "维": "05",
    }
    numbers = ids(len(forms))
    rows = []
    for index, (ethnicity, number) in enumerate(zip(forms, numbers, strict=True)):
        rows += household(
            f"FT1{index}",
            [
                {
                    "name": f"测试民{index}",
                    "id_number": number,
                    "relation": "本人" if index % 2 else "户主",
                    "ethnicity": ethnicity,
                    "medical_insurance": ["✓", "☑", "√", "对", "Y"][index % 5],
                    "dibao": ["✗", "×", "☐", "错", "N"][index % 5],
                    "education": ["文盲", "高中", "本科", "初中", "小学"][index % 5],
                }
            ],
        )
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    got = dict(Person.objects.values_list("id_number", "ethnicity"))
    assert [got[n] for n in numbers] == list(forms.values())
    assert set(Person.objects.values_list("medical_insurance", "dibao")) == {(True, False)}
    assert set(Person.objects.values_list("relation", flat=True)) == {"head"}
    # 残疾等级 not given is not known; 无 is a recorded 无.
    assert set(Person.objects.values_list("disability_grade", flat=True)) == {""}


def test_a_value_not_on_a_list_is_refused_with_the_nearest_label_suggested(alice, shache_site):
    (head,) = ids(1)
    rows = household("FT20", [{"name": "测试", "id_number": head, "relation": "户主夫妻"}])
    result = run(alice, xlsx(rows))
    assert not result.committed and not Household.objects.exists()
    assert len(result.errors) == 1, [e.message for e in result.errors]
    (error,) = result.errors
    assert (error.row, error.column) == (2, "与户主关系")
    assert "「户主夫妻」不是可选值，是否为「户主」？" in error.message


def test_steps_written_out_as_done_or_not_done_are_understood(alice, shache_site):
    head, other = ids(2)
    rows = household(
        "FT21", [{"name": "测试", "id_number": head, "relation": "户主", "tekun": "不详"}]
    )
    rows += household(
        "FT22", [{"name": "测试二", "id_number": other, "relation": "户主", "dibao": "是否"}]
    )
    result = run(alice, xlsx(rows), commit=False)
    # 不详 is "not known", never a yes or a no; 是否 is neither and says what to write.
    assert [(e.row, e.column) for e in result.errors] == [(3, "是否低保")]
    assert "请填「是」或「否」" in result.errors[0].message


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("household_no", 6.53125203001e18, "6.53125203001E+18"),
        ("household_no", 6.53125203001e17, "6.53125203001E+17"),
        ("site_code", 6.53125001e15, "6.53125001E+15"),
        ("id_number", 6.53125199006010e17, "6.5312519900601E+17"),
        ("household_no", "6.53125E+17", "6.53125E+17"),
    ],
)
def test_a_key_excel_stored_as_a_long_number_is_refused_never_stored(
    alice, shache_site, column, value, shown
):
    (head,) = ids(1)
    member = {"name": "测试号甲", "id_number": head, "relation": "户主"}
    rows = household("FT13", [member])
    rows[0][[c.key for c in LEDGER.columns].index(column)] = value
    result = run(alice, xlsx(rows))
    assert not result.committed and not Household.objects.exists()
    error = next(e for e in result.errors if e.column == LEDGER.column(column).header)
    assert shown in error.message and "设为文本格式" in error.message


def test_a_short_key_stored_as_a_number_is_read_as_its_digits(alice, shache_site):
    (head,) = ids(1)
    rows = household("FT14", [{"name": "测试", "id_number": head, "relation": "户主"}])
    keys = [c.key for c in LEDGER.columns]
    rows[0][keys.index("site_code")] = 653125001
    rows[0][keys.index("household_no")] = 6531250010014.0
    rows[0][keys.index("phone")] = 13912345678
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    assert Household.objects.values_list("household_no", "site__code", "phone").get() == (
        "6531250010014",
        "653125001",
        "13912345678",
    )


def test_an_old_15_digit_id_number_is_converted_with_a_warning(alice, shache_site):
    rows = household("FT15", [{"name": "测试", "id_number": "653125800304011", "relation": "户主"}])
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    person = Person.objects.get()
    assert person.id_number == "653125198003040111"[:17] + person.id_number[17]
    assert person.birth_date == dt.date(1980, 3, 4)
    assert any("653125800304011" in w and person.id_number in w for w in result.warnings)


def two_level_header(rows: list[list], *, title: str = "") -> bytes:
    """The household ledger with a two-level header: group titles merged over their columns,
    single columns merged down both rows, names with line breaks, spaces and marks."""
    groups = {
        "旧房拆除及复垦": ["old_house_demolished", "homestead_reclaimed"],
        "社会保障": ["medical_insurance", "pension_insurance", "dibao", "tekun"],
    }
    grouped = {key: name for name, keys in groups.items() for key in keys}
    keys = [c.key for c in LEDGER.columns]
    book = Workbook()
    sheet = book.active
    top = 1
    if title:
        sheet.cell(row=1, column=1, value=title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(keys))
        top = 2
    # Grouped columns side by side under their group's title, merged over them.
    runs: list[tuple[str, int, int]] = []
    for index, key in enumerate(keys, start=1):
        group = grouped.get(key)
        if group and runs and runs[-1][0] == group and runs[-1][2] == index - 1:
            runs[-1] = (group, runs[-1][1], index)
        elif group:
            runs.append((group, index, index))
    for group, first, last in runs:
        sheet.cell(row=top, column=first, value=group)
        if last > first:
            sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
    for index, key in enumerate(keys, start=1):
        header = LEDGER.column(key).header
        if key in grouped:
            sheet.cell(row=top + 1, column=index, value=header)
        else:
            # As typed in county sheets: a line break, a space, a required mark.
            shown = {"id_number": "身份\n证号", "name": "姓 名", "household_no": "户编号*"}
            sheet.cell(row=top, column=index, value=shown.get(key, header))
            sheet.cell(row=top, column=index).alignment = Alignment(wrap_text=True)
            sheet.merge_cells(start_row=top, start_column=index, end_row=top + 1, end_column=index)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_two_level_merged_header_under_a_title_finds_every_column(alice, shache_site):
    head, spouse = ids(2)
    rows = household(
        "FT06",
        [
            {"name": "测试寅", "id_number": head, "relation": "户主", "pension_insurance": "是"},
            {"name": "测试卯", "id_number": spouse, "relation": "配偶", "tekun": "否"},
        ],
    )
    for data in (two_level_header(rows), two_level_header(rows, title="莎车县搬迁户台账")):
        Person.objects.all().delete()
        Household.objects.all().delete()
        result = run(alice, data)
        assert result.committed, result.errors
        assert result.rows == 2 and not result.warnings
        assert Person.objects.get(id_number=head).pension_insurance is True
        assert Person.objects.get(id_number=spouse).tekun is False


def test_headers_with_a_unit_in_full_width_brackets_are_found(alice, shache_site):
    (head,) = ids(1)
    rows = household("FT07", [{"name": "测试", "id_number": head, "relation": "户主"}])
    headers = [f"{h}（必填）" if h == "姓名" else h for h in HEADERS]
    result = run(alice, xlsx(rows, headers=headers))
    assert result.committed, result.errors


def test_a_template_with_two_typed_rows_counts_two_rows_and_is_checked_at_once(alice, shache_site):
    head, spouse = ids(2)
    book = load_workbook(io.BytesIO(template_workbook(LEDGER)))
    sheet = book.worksheets[0]
    for row in household(
        "FT17",
        [
            {"name": "测试空", "id_number": head, "relation": "户主"},
            {"name": "测试行", "id_number": spouse, "relation": "配偶"},
        ],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert estimate_rows(data, LEDGER.columns) == 2
    job = import_start(user=alice, ledger="households", file_name="模板.xlsx", data=data)
    # Small: checked in the request, not queued as a large job.
    assert job.status == job.Status.CHECKED and job.rows == 2
    assert job.result["rows"] == 2 and not job.result["errors"]


def labor_sheet(rows: list[dict]) -> bytes:
    headers = [c.header for c in LABOR.columns]
    keys = [c.key for c in LABOR.columns]
    return xlsx([[row.get(k, "") for k in keys] for row in rows], headers=headers)


def test_labor_code_lists_accept_what_cadres_write(alice, shache_site):
    head, spouse = ids(2)
    run(
        alice,
        xlsx(
            household(
                "FT30",
                [
                    {"name": "测试甲", "id_number": head, "relation": "户主"},
                    {"name": "测试乙", "id_number": spouse, "relation": "配偶"},
                ],
            )
        ),
    )
    sheet = labor_sheet(
        [
            {
                "id_number": head.translate(FULL),
                "capacity": "普通",
                "skill": "无",
                "training_intention": "无",
                "willingness": "就地就近",
                "language": "一般",
            },
            {
                "id_number": "'" + spouse,
                "capacity": "弱劳动力",
                "skill": "有证书",
                "training_intention": "有",
                "willingness": "外出",
                "language": "熟练",
            },
        ]
    )
    result = run(alice, sheet, ledger=LABOR)
    assert result.committed, result.errors
    got = {
        p.person.id_number: (p.capacity, p.skill, p.training_intention, p.willingness, p.language)
        for p in LaborProfile.objects.select_related("person")
    }
    assert got == {
        head: ("ordinary", "none", "no", "local", "basic"),
        spouse: ("weak", "certified", "wants", "away", "fluent"),
    }


def test_the_templates_notes_list_the_accepted_aliases():
    book = load_workbook(io.BytesIO(template_workbook(LABOR)))
    notes = {row[0].value: row[3].value for row in book["填写说明"].iter_rows(min_row=2)}
    assert "就地就近就业（也可填：就地就近" in notes["就业意愿"]
    assert "能进行简单交流（也可填：一般" in notes["国语水平"]
    book = load_workbook(io.BytesIO(template_workbook(LEDGER)))
    notes = {row[0].value: row[3].value for row in book["填写说明"].iter_rows(min_row=2)}
    assert "✓" in notes["是否参加医保"] and "×" in notes["是否参加医保"]
    assert "维族" in notes["民族"]


def test_a_character_that_is_no_digit_is_named_in_its_own_column(alice, shache_site):
    (head,) = ids(1)
    typed = head[:9] + "O" + head[10:]  # the letter O for a zero
    rows = household("FT40", [{"name": "测试", "id_number": typed, "relation": "户主"}])
    result = run(alice, xlsx(rows))
    assert not result.committed and not Household.objects.exists()
    (error,) = result.errors
    assert (error.row, error.column) == (2, "身份证号")
    assert "第10位是「O」" in error.message


def test_id_columns_named_as_counties_name_them_are_found(alice, shache_site):
    (head,) = ids(1)
    rows = household("FT41", [{"name": "测试", "id_number": head, "relation": "户主"}])
    for name in ("身份证号码", "公民身份号码", "身份证号（18位）"):
        headers = [name if h == "身份证号" else h for h in HEADERS]
        result = run(alice, xlsx(rows, headers=headers), commit=False)
        assert result.created == 1 and not result.errors, (name, result.errors)


def test_a_column_in_another_unit_is_refused_not_read_at_the_wrong_scale(alice, shache_site):
    (head,) = ids(1)
    run(alice, xlsx(household("FT42", [{"name": "测试", "id_number": head, "relation": "户主"}])))
    Person.objects.update(registered_on=dt.date(2019, 6, 1))
    LaborProfile.objects.create(person=Person.objects.get(), capacity="ordinary")
    headers = ["月收入(万元)" if c.header == "月收入" else c.header for c in LABOR.columns]
    keys = [c.key for c in LABOR.columns]
    row = {
        "id_number": head,
        "status": "已就业",
        "channel": "公益岗位",
        "job_type": "保洁",
        "place": "本县",
        "start_date": "2026-01-05",
        "monthly_income": 0.3,
    }
    result = run(alice, xlsx([[row.get(k, "") for k in keys]], headers=headers), ledger=LABOR)
    assert not result.committed
    assert "「月收入(万元)」列的单位是万元，而「月收入」应按元填写" in result.errors[0].message
    # The same figures in yuan, named so, are read.
    headers = ["月收入（元）" if c.header == "月收入" else c.header for c in LABOR.columns]
    row["monthly_income"] = 3000
    result = run(alice, xlsx([[row.get(k, "") for k in keys]], headers=headers), ledger=LABOR)
    assert result.committed, result.errors


def test_a_15_digit_id_number_stored_as_a_number_is_converted_with_a_warning(alice, shache_site):
    rows = household("FT43", [{"name": "测试", "id_number": 653125800304011, "relation": "户主"}])
    result = run(alice, xlsx(rows))
    assert result.committed, result.errors
    number = Person.objects.get().id_number
    assert any("653125800304011" in w and number in w for w in result.warnings)


def test_a_ledger_with_merged_household_cells_dates_by_month_and_a_total_row(alice, shache_site):
    """A county ledger as kept by hand: the household's cells merged over its members, dates
    written by month or copied with a time, a 合计 and a 填表人 line under the records."""
    head, spouse, child = ids(3)
    rows = household(
        "FT50",
        [
            {"name": "测试甲", "id_number": head, "relation": "户主"},
            {"name": "测试乙", "id_number": spouse, "relation": "配偶"},
            {"name": "测试丙", "id_number": child, "relation": "子女"},
        ],
    )
    keys = [c.key for c in LEDGER.columns]
    rows[0][keys.index("move_in_date")] = "2019年5月"
    rows.append(["合计", "", "", "", "", "", "", "", "", "", "3"])
    rows.append(["填表人：张三", "", "", "审核人：李四"])

    def merge(sheet):
        for key in ("household_no", "site_code", "category"):
            letter = chr(ord("A") + keys.index(key))
            sheet.merge_cells(f"{letter}2:{letter}4")

    result = run(alice, xlsx(rows, edit=merge))
    assert result.committed, result.errors
    imported = Household.objects.get()
    assert imported.members.count() == 3
    assert imported.move_in_date == dt.date(2019, 5, 31)
    assert any("「入住日期」第2行只填了年月" in w for w in result.warnings)
    warnings = " ".join(result.warnings)
    assert "第5、6行是合计行或签名行" in warnings and "A2:A4" in warnings


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2019/5/1 0:00:00", dt.date(2019, 5, 1)),
        ("２０１９年５月１日", dt.date(2019, 5, 1)),
        ("2019-02", dt.date(2019, 2, 28)),
        (2019.5, None),
    ],
)
def test_dates_as_offices_write_them(alice, shache_site, typed, read):
    (head,) = ids(1)
    rows = household("FT51", [{"name": "测试", "id_number": head, "relation": "户主"}])
    rows[0][[c.key for c in LEDGER.columns].index("move_in_date")] = typed
    result = run(alice, xlsx(rows))
    if read is None:
        assert not result.committed and "无法确定月份" in result.errors[0].message
    else:
        assert result.committed, result.errors
        assert Household.objects.get().move_in_date == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1800元/月", "1800"),
        ("1,800 元", "1800"),
        ("１８００元", "1800"),
        ("0.18万", "请写成 1800"),
        ("10万", "请写成 100000"),
        ("1e999999万", "万元"),
    ],
)
def test_amounts_as_offices_write_them(alice, shache_site, typed, read):
    (head,) = ids(1)
    run(alice, xlsx(household("FT52", [{"name": "测试", "id_number": head, "relation": "户主"}])))
    LaborProfile.objects.create(person=Person.objects.get(), capacity="ordinary")
    row = {
        "id_number": head,
        "status": "已就业",
        "channel": "公益岗位",
        "job_type": "保洁",
        "place": "本县",
        "start_date": "2026-01-05",
        "monthly_income": typed,
    }
    result = run(alice, labor_sheet([row]), ledger=LABOR)
    if not read.isdigit():
        assert not result.committed and read in result.errors[0].message
    else:
        assert result.committed, result.errors
        assert Employment.objects.get().monthly_income == Decimal(read)


def test_a_sheet_starting_below_and_right_of_a1_reads_its_merged_cells_in_place(alice, shache_site):
    """Blank rows above the title and a blank first column, as sheets pasted into a corner
    have them: merged household cells still read on their own rows and columns."""
    head, spouse, other = ids(3)
    rows = household(
        "FT53",
        [
            {"name": "测试甲", "id_number": head, "relation": "户主"},
            {"name": "测试乙", "id_number": spouse, "relation": "配偶"},
        ],
    )
    rows += household("FT54", [{"name": "测试丙", "id_number": other, "relation": "户主"}])
    keys = [c.key for c in LEDGER.columns]
    for row in rows[1:2]:
        row[keys.index("household_no")] = ""

    def shift(sheet):
        sheet.insert_rows(1, 2)
        sheet.insert_cols(1)
        letter = chr(ord("A") + keys.index("household_no") + 1)
        sheet.merge_cells(f"{letter}4:{letter}5")

    result = run(alice, xlsx(rows, edit=shift))
    assert result.committed, result.errors
    assert sorted(Household.objects.values_list("household_no", flat=True)) == ["FT53", "FT54"]
    assert Person.objects.get(id_number=spouse).household.household_no == "FT53"
    assert Person.objects.get(id_number=other).name == "测试丙"
    assert any("B4:B5" in w for w in result.warnings)


def test_a_household_sheet_given_to_the_labor_import_is_refused_in_words(alice, shache_site):
    (head,) = ids(1)
    sheet = xlsx(household("FT55", [{"name": "测试", "id_number": head, "relation": "户主"}]))
    run(alice, sheet)
    result = run(alice, sheet, ledger=LABOR, commit=False)
    assert not result.committed and result.rows == 0
    assert "请确认是否选对了台账" in result.errors[0].message


@pytest.mark.parametrize("typed", ["9999-12", "0000-01", "9999年12月"])
def test_a_placeholder_month_is_refused_in_words(alice, shache_site, typed):
    (head,) = ids(1)
    rows = household("FT56", [{"name": "测试", "id_number": head, "relation": "户主"}])
    rows[0][[c.key for c in LEDGER.columns].index("move_in_date")] = typed
    result = run(alice, xlsx(rows))
    assert not result.committed
    assert result.errors[0].column == "入住日期" and "2019-05-01" in result.errors[0].message


def test_a_moved_out_row_with_a_number_registered_to_someone_else_is_refused(alice, shache_site):
    head, other = ids(2)
    run(alice, xlsx(household("FT57", [{"name": "测试甲", "id_number": head, "relation": "户主"}])))
    rows = household("FT58", [{"name": "测试乙", "id_number": other, "relation": "户主"}])
    rows += household(
        "FT58", [{"name": "别人", "id_number": head, "relation": "子女", "status": "迁出"}]
    )
    result = run(alice, xlsx(rows))
    assert not result.committed and Household.objects.count() == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert "FT57" in result.errors[0].message
    # The same person, on record in the household they left, is no one else.
    rows[1][[c.key for c in LEDGER.columns].index("name")] = "测试甲"
    assert run(alice, xlsx(rows)).committed
