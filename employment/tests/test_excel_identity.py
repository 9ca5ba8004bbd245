"""The labor import knows a person by the ID number alone (issue 14, item 9): 姓名 and 户编号 may
be left out; where given and different from the registry the row imports with a warning, and
nobody outside the user's area is ever named."""

import datetime as dt

import pytest

from employment.excel import LEDGER
from employment.models import Employment, LaborProfile
from employment.tests.test_excel_import import HEADERS, labor_row, messages, run, working
from households.tests.workbooks import xlsx
from resettle.excel import run_import
from resettle.masking import mask_id_number


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


@pytest.mark.django_db
def test_the_id_number_alone_names_the_person(alice, head):
    result = run(alice, [working(head, name="", household_no="")], commit=True)
    assert result.committed and result.created == 1, messages(result)
    assert result.warnings == []
    assert Employment.objects.get().person == head


@pytest.mark.django_db
def test_another_name_or_household_number_is_a_warning_and_the_row_imports(
    alice, head, shache_household
):
    spouse = shache_household.members.get(relation="spouse")
    rows = [
        working(head, name="阿卜杜拉"),  # row 2: the name as the employment office writes it
        labor_row(id_number=spouse.id_number, capacity="普通劳动力", household_no="653125001-9999"),
    ]
    result = run(alice, rows, commit=True)
    assert result.committed and result.created == 2, messages(result)
    assert result.warnings == [
        f"第2行：身份证号 {head.id_number} 在台账中登记为 阿卜杜拉·买买提，表中写作 阿卜杜拉，"
        "已按身份证号导入。",
        f"第3行：身份证号 {spouse.id_number} 在台账中登记在户 653125001-0001，表中写作 "
        "653125001-9999，已按身份证号导入。",
    ]
    assert Employment.objects.get().person == head
    assert LaborProfile.objects.get(person=spouse).capacity == "ordinary"
    # The registry keeps its name.
    head.refresh_from_db()
    assert head.name == "阿卜杜拉·买买提"


@pytest.mark.django_db
def test_someone_of_another_area_is_not_named(alice, charlie, head):
    result = run(charlie, [working(head)], commit=True)
    unknown = run(charlie, [working(head, id_number="11010519491231002X")])
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    message = result.errors[0].message
    assert head.name not in message and "莎车" not in message and "范围以外" not in message
    assert message == unknown.errors[0].message.replace("11010519491231002X", head.id_number)
    assert result.warnings == [] and not LaborProfile.objects.exists()


@pytest.mark.django_db
def test_a_masked_number_is_told_apart_by_name_and_household_number(alice, shache_household):
    head = shache_household.members.get(relation="head")
    masked = mask_id_number(head.id_number)
    # The mask keeps the region only, which the spouse's number shares: the household number
    # alone names two persons, and the row asks for the whole number.
    assert mask_id_number(shache_household.members.exclude(pk=head.pk).get().id_number) == masked
    alone = run(alice, [labor_row(id_number=masked, household_no="653125001-0001")])
    assert [e.column for e in alone.errors] == ["身份证号"] and "*" in alone.errors[0].message
    row = labor_row(
        id_number=masked, name=head.name, household_no="653125001-0001", capacity="普通劳动力"
    )
    result = run(alice, [row], commit=True)
    assert result.committed and result.created == 1, messages(result)
    assert LaborProfile.objects.get().person == head
    # With neither the name nor the household number, the masked number names nobody.
    bare = run(alice, [labor_row(id_number=masked, capacity="普通劳动力")])
    assert [e.column for e in bare.errors] == ["身份证号"] and "*" in bare.errors[0].message


@pytest.mark.django_db
def test_a_sheet_without_the_optional_columns_imports(alice, head):
    keep = [h for h in HEADERS if h not in ("姓名", "户编号", "登记日期")]
    row = dict(zip(HEADERS, working(head, start_date=dt.date(2025, 3, 1)), strict=True))
    data = xlsx([[row[h] for h in keep]], keep)
    result = run_import(LEDGER, data, actor=alice, commit=True, file_name="就业台账.xlsx")
    assert result.committed and result.created == 1, messages(result)
    assert Employment.objects.get().person == head
    # Nothing on record is named in the warnings but the absent columns.
    assert all(head.name not in w for w in result.warnings)
