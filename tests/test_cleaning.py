"""The one cell cleaner (resettle.cleaning) and the old 15-digit ID numbers: what offices copy
and type is read as the value they meant."""

import datetime as dt
import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from resettle.cleaning import (
    FULL_WIDTH,
    INVISIBLE,
    INVISIBLE_CHARS,
    clean_header,
    clean_text,
    clean_text_noted,
)
from resettle.idcard import check_char, parse_id_number, upgrade

HALF = "0123456789X"
FULL = "０１２３４５６７８９Ｘ"


@pytest.mark.parametrize(
    ("typed", "meant", "note"),
    [
        ("'653125198102030319", "653125198102030319", None),
        ("’653125198405060320", "653125198405060320", None),
        ("‘FT0901", "FT0901", None),
        ("６５３１２５１９９１０３０４０５３Ｘ", "65312519910304053X", FULL_WIDTH),
        ("FT09０1", "FT0901", FULL_WIDTH),
        ("\u200b653125199001020511", "653125199001020511", INVISIBLE_CHARS),
        ("\ufeff653125199001020511", "653125199001020511", INVISIBLE_CHARS),
        ("6531251990\u206001020511", "653125199001020511", INVISIBLE_CHARS),
        ("\u00a0653125199001020511\u00a0", "653125199001020511", None),
        ("\u3000买买提·艾力\u3000", "买买提·艾力", None),
        ("  汉 ", "汉", None),
        ("某乡（3组）", "某乡(3组)", FULL_WIDTH),
        ("'", "", None),
        ("\x00653125", "653125", INVISIBLE_CHARS),
    ],
)
def test_what_offices_type_is_read_as_what_they_meant(typed, meant, note):
    assert clean_text_noted(typed) == (meant, note)


@given(st.text(alphabet=HALF, min_size=1, max_size=18))
def test_full_width_digits_and_x_read_as_half_width(text):
    full = text.translate(str.maketrans(HALF, FULL))
    assert clean_text(full) == text
    assert clean_text(clean_text(full)) == text  # cleaning twice changes nothing more


@given(st.text(max_size=30))
def test_cleaning_is_stable(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\u200b" not in once and "\ufeff" not in once and once == once.strip()


def test_headers_match_whatever_spaces_marks_and_brackets_they_have():
    assert clean_header("身份\n证号 *") == clean_header("身份证号") == "身份证号"
    assert clean_header("月收入（元）") == "月收入(元)"
    assert clean_header(None) == ""


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_an_old_15_digit_number_becomes_its_18_digit_number(birth, sequence):
    old = f"653125{birth:%y%m%d}{sequence:03d}"
    info = parse_id_number(old)
    first17 = f"653125{birth:%Y%m%d}{sequence:03d}"
    assert info.number == upgrade(old) == first17 + check_char(first17)
    assert info.birth_date == birth
    assert info.gender == ("male" if sequence % 2 else "female")


def test_a_15_digit_number_with_an_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as caught:
        parse_id_number("653125991332001")
    assert caught.value.code == "id_birth_date"


def test_every_format_character_is_removed():
    """Unicode's format characters (category Cf: zero-width, direction, tag, annotation …)
    are never part of a value, however new the table."""
    kept = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and not INVISIBLE.match(chr(c))
    ]
    assert kept == []


@given(st.text(alphabet=st.characters(categories=["Mn", "Me", "Zs", "Cf"]), max_size=8))
def test_a_value_with_nothing_visible_is_blank(text):
    assert clean_text(text) == ""
    assert clean_text("买" + text) != ""
