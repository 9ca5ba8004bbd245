"""GB 11643-1999 ID numbers and the masking of sensitive values."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from households.tests.factories import make_id_number
from resettle.idcard import check_char, parse_id_number
from resettle.masking import mask_id_number, mask_phone

counties = st.sampled_from(["653125", "653121", "520102", "140802", "110101"])
births = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 12, 31))
genders = st.sampled_from(["male", "female"])


def test_known_number():
    # The sample number of GB 11643-1999 Appendix A.
    info = parse_id_number("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31) and info.gender == "female"
    assert check_char("11010519491231002") == "X"


@given(counties, births, st.integers(0, 499), genders)
def test_generated_numbers_parse_back(county, birth, seq, gender):
    info = parse_id_number(make_id_number(county, birth, seq, gender).lower())
    assert (info.region_code, info.birth_date, info.gender) == (county, birth, gender)


@given(counties, births, st.integers(0, 499), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_caught(county, birth, seq, position, delta):
    number = make_id_number(county, birth, seq, "male")
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(wrong)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("65312519900101123", "id_length"),
        ("6531251990010112345", "id_length"),
        ("65312519900230123X", "id_birth_date"),
        ("6531252990010112", "id_length"),
        ("65312A199001011234", "id_chars"),
        ("6.53125199E+17", "id_scientific"),
    ],
)
def test_bad_numbers(number, code):
    with pytest.raises(ValidationError) as info:
        parse_id_number(number)
    assert info.value.code == code


def test_future_birth_date_is_impossible():
    first17 = "65312520990101123"
    with pytest.raises(ValidationError) as info:
        parse_id_number(first17 + check_char(first17), today=dt.date(2026, 11, 22))
    assert info.value.code == "id_birth_date"


@given(st.text(alphabet="0123456789X", min_size=11, max_size=18))
def test_id_mask_keeps_the_region_only(value):
    # Birth date, sequence and check character hidden: with the birth year served beside it,
    # the last four would leave about 33 numbers to try (resettle.masking).
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:6] == value[:6]
    assert set(masked[6:]) == {"*"}


@given(st.text(alphabet="0123456789", min_size=8, max_size=13))
def test_phone_mask_keeps_three_and_four(value):
    masked = mask_phone(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert set(masked[3:-4]) == {"*"}


@given(st.text(alphabet="0123456789", max_size=7))
def test_short_values_are_masked_whole(value):
    assert set(mask_phone(value)) <= {"*"} and len(mask_phone(value)) == len(value)
