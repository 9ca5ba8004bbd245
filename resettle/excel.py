"""Excel in and out, for every ledger: columns that parse and render their cells, the workbook
checks of an upload, the import template, the annotated error workbook and the exports.

A ledger (households, labor, dividends, …) declares its columns and its plan/commit steps in its
app's `excel.py` and registers itself here; the import pipeline (`run_import`), the jobs
(`resettle.tasks`) and the pages and API built on them are the same for all.

Reading uses python-calamine (about ten times openpyxl's read-only speed); long exports and
the marked error workbooks are streamed by `resettle.xlsx`; openpyxl writes the small formatted
template (BENCHMARKS.md has the measurements behind these choices).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import python_calamine
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from resettle import periods
from resettle.cleaning import FULL_WIDTH, clean_header, clean_text, clean_text_noted
from resettle.codelists import FALSE_WORDS, TRUE_WORDS, UNKNOWN_WORDS, aliases_of, nearest
from resettle.idcard import normalise as normalise_id
from resettle.idcard import parse_id_number
from resettle.imports import CHANGED_MEANWHILE, ImportResult, Preview, Row, RowError
from resettle.validators import check_bounds, validate_phone
from resettle.xlsx import (
    BAD,
    BAD_TEXT,
    DATE,
    FORMULA_TRIGGERS,
    HEADER,
    PLAIN,
    TEXT,
    SheetWriter,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The first bytes of a zip archive (xlsx) and of an OLE compound file (xls, or an xlsx that
# Excel encrypted with a password).
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's day 0 for serial dates (it counts 1900 as a leap year, so day 60 is 1900-02-29).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# The template's sheets besides the data sheet: never read as data (the example sheet has every
# header).
LISTS_SHEET, NOTES_SHEET, EXAMPLE_SHEET = "代码表", "填写说明", "填写示例"
TEMPLATE_SHEETS = frozenset({LISTS_SHEET, NOTES_SHEET, EXAMPLE_SHEET})
# How many header rows an upload may have above the column headers (a title, a unit line).
HEADER_SEARCH_ROWS = 10
# The notes the annotated workbook and the dry run give at most per upload: a file with every
# row wrong needs its first mistakes fixed, not fifty thousand messages.
MAX_ERRORS = 1000


class WorkbookError(Exception):
    """The upload as a whole cannot be read; the message says what to do."""


@dataclass(frozen=True)
class Column:
    """One column of a ledger's workbook: its exact header, how its cells read and write.

    kind: "text", "code" (digits kept as text), "int", "decimal" (an amount in yuan, to the
    fen), "date", "bool", "choice", "id_number", "phone". `choices` are (code, label) pairs; a
    cell may hold the label (what the drop-down offers), the code, or an alias the code list
    declares (`resettle.codelists.declare_aliases`). `holds_key`: the column holds a code or key
    (户编号, 项目编码 …) whose number cells Excel may have damaged (code, ID and phone columns
    always are). `field`: the model field an "int", "decimal" or "date" column fills; a value
    outside its bounds (`resettle.validators.field_bounds`: the column's digits, a plausible
    year, a date from 1900) is refused on reading, as the forms and the API refuse it
    (`model_columns` sets it)."""

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    # Required once per record of several rows (a household's fields on one of its members' rows).
    group_required: bool = False
    choices: Sequence[tuple[str, object]] = ()
    max_length: int | None = None
    note: str = ""
    example: object = ""
    width: int = 12
    group: str = ""
    holds_key: bool = False
    field: models.Field | None = None

    @property
    def is_text(self) -> bool:
        return self.kind in {"text", "code", "id_number", "phone"}

    @functools.cached_property
    def is_key(self) -> bool:
        """Whether a number cell may be a key Excel has damaged (see `key_from_number`)."""
        return self.holds_key or self.kind in {"code", "id_number", "phone"}

    def labels(self) -> list[str]:
        return list(self._labels_by_code.values())

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """The written forms declared for each label of a code list: label → aliases."""
        declared = aliases_of(self.choices) if self.kind == "choice" else {}
        return {
            label: declared[code]
            for code, label in self._labels_by_code.items()
            if code in declared
        }

    @functools.cached_property
    def _codes_by_text(self) -> dict[str, str]:
        """What a cell may hold for each code: its Chinese label, the code itself, the declared
        aliases, and for an ethnic group its name without 族 (汉族 may be written 汉)."""
        codes = {}
        declared = aliases_of(self.choices)
        for code, label in self._labels_by_code.items():
            codes[clean_text(label)] = code
            if code:
                codes[str(code)] = code
            for form in declared.get(str(code), ()):
                codes.setdefault(form, code)
            if label.endswith("族") and len(label) >= 2:
                codes.setdefault(label[:-1], code)
        return codes

    def parse(self, raw: object) -> object:
        """The value of a cell, or ValidationError with what to fix. Empty cells, and the words
        for "not known" (不详, 未知 …), give None. Text is cleaned first (`clean_text`)."""
        if raw.__class__ is str:
            raw = clean_text(raw)
        return self.parse_clean(raw)

    def parse_clean(self, raw: object) -> object:
        """`parse` for a cell whose text `clean_text` has already cleaned."""
        if raw.__class__ is str:
            # Text cells, nearly all of them: the short way for the values that need no message.
            text = raw
            if text:
                quick = _QUICK_READINGS.get(self.kind)
                if quick is not None:
                    value = quick(self, text)
                    if value is not _SLOW:
                        return value
                if (self.kind != "text" and text in UNKNOWN_WORDS) or (
                    self.kind == "phone" and text == "无"
                ):
                    text = ""
            if not text:
                return self._blank()
        elif raw is None:
            return self._blank()
        elif self.is_key and raw.__class__ is not bool and isinstance(raw, int | float):
            return self.parse_clean(self.key_from_number(raw))
        value = getattr(self, f"_parse_{self.kind}")(raw)
        if self.field is not None:
            check_bounds(self.field, value)
        return value

    def _blank(self) -> None:
        """A blank cell reads as None (not known); raises ValidationError if it is required."""
        if self.required:
            raise ValidationError(_("This column must be filled in."))

    # The short readings of a non-empty cleaned text, by kind: the value, or _SLOW for a text
    # that needs the column's full reading (and its message, if it is wrong).

    def _quick_choice(self, text: str) -> object:
        code = self._codes_by_text.get(text)
        return _SLOW if code is None else code

    def _quick_bool(self, text: str) -> object:
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        return _SLOW

    def _quick_id_number(self, text: str) -> object:
        if len(text) == 18 and "*" not in text:
            return parse_id_number(text).number
        return _SLOW

    def _quick_code(self, text: str) -> object:
        if _digits(text) and (not self.max_length or len(text) <= self.max_length):
            return text
        return _SLOW

    def _quick_phone(self, text: str) -> object:
        if _digits(text) and (not self.max_length or len(text) <= self.max_length):
            validate_phone(text)
            return text
        return _SLOW

    def _quick_text(self, text: str) -> object:
        if (not self.max_length or len(text) <= self.max_length) and (
            not self.is_key or not SCIENTIFIC.match(text)
        ):
            return text
        return _SLOW

    def key_from_number(self, number: int | float) -> str:
        """The digits of a code or key that Excel stored as a number cell: a whole number of up
        to 15 digits is exact. Raises ValidationError for more digits (Excel keeps 15
        significant digits and has already replaced the rest by zeros) or a fraction."""
        if (isinstance(number, float) and not number.is_integer()) or abs(number) >= 10**15:
            raise ValidationError(self._damaged(_as_excel_shows(number)))
        return str(int(number))

    def _damaged(self, shown: object) -> str:
        return _(
            "Excel has stored this %(column)s as a number (%(value)s) and lost its last digits: "
            "format the column as text and type the %(column)s again."
        ) % {"column": self.header, "value": shown}

    def _text(self, raw: object) -> str:
        if isinstance(raw, bool):
            return _("Yes") if raw else _("No")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        # (text arrives cleaned: `parse` and `parse_rows` clean it once)
        text = str(raw)
        # An export neutralises a value starting with a formula character by a leading '.
        if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
            text = text[1:]
        if self.max_length and len(text) > self.max_length:
            raise ValidationError(
                _("At most %(max)d characters; this has %(count)d.")
                % {"max": self.max_length, "count": len(text)}
            )
        return text

    def _parse_text(self, raw: object) -> str:
        text = self._text(raw)
        if self.is_key and SCIENTIFIC.match(text):
            raise ValidationError(self._damaged(text))
        return text

    def _parse_code(self, raw: object) -> str:
        text = self._text(raw)
        if SCIENTIFIC.match(text):
            raise ValidationError(self._damaged(text))
        if not _digits(text):
            raise ValidationError(_("Digits only, please; got %(value)s.") % {"value": text})
        return text

    def _parse_int(self, raw: object) -> int:
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = str(raw).removesuffix("年")
        if _digits(text):
            return int(text)
        raise ValidationError(_("Write a whole number, e.g. 2019; got %(value)s.") % {"value": raw})

    def _parse_decimal(self, raw: object) -> Decimal:
        if isinstance(raw, bool):
            raise ValidationError(_("Write an amount, e.g. 3500; got %(value)s.") % {"value": raw})
        # repr gives a float's shortest exact text: 3500.55, not 3500.5499999…
        text = repr(raw) if isinstance(raw, float) else str(raw)
        text = text.replace(",", "").replace(" ", "")
        if "月" in self.header:
            # A monthly amount written out: 1800/月, 1800元每月.
            text = text.removesuffix("/月").removesuffix("每月")
        if "万元" in self.header:
            # The column's own unit written out (8.5万); an amount in yuan is refused.
            text = text.removesuffix("万元").removesuffix("万")
            if text.endswith("元"):
                raise ValidationError(
                    _("%(value)s is in yuan; this column is in 万元: write %(wan)s.")
                    % {"value": raw, "wan": _wan_of(text[:-1])}
                )
        else:
            text = text.removesuffix("元")
            if text.endswith("万"):
                raise ValidationError(
                    _("%(value)s is in 万元; this column is in yuan: write %(yuan)s.")
                    % {"value": raw, "yuan": _yuan_of(text[:-1])}
                )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("Write an amount, e.g. 3500; got %(value)s.") % {"value": raw}
            ) from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise ValidationError(
                _("Write an amount to the fen at most, e.g. 3500.50; got %(value)s.")
                % {"value": raw}
            )
        return amount

    def _parse_date(self, raw: object) -> dt.date:
        return parse_date(raw)

    def _parse_bool(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        text = self._text(raw).upper()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        # 已拆除, 已迁入 / 未拆除, 没迁: a done or not-done step written out.
        if len(text) <= 6 and not UNSURE.search(text):
            if text[0] == "已":
                return True
            if text[0] in "未没不无":
                return False
        raise ValidationError(_("Write 是 or 否 (or √ and ×); got %(value)s.") % {"value": text})

    def _parse_choice(self, raw: object) -> str:
        text = self._text(raw)
        code = self._codes_by_text.get(text)
        if code is None:
            labels = self._labels_by_code
            guess = nearest(text, {form: labels[c] for form, c in self._codes_by_text.items()})
            if guess is not None:
                raise ValidationError(
                    _(
                        "「%(value)s」 is not on the list: did you mean 「%(guess)s」? Choose one of: %(choices)s."
                    )
                    % {"value": text, "guess": guess, "choices": "、".join(self.labels())}
                )
            raise ValidationError(
                _("%(value)s is not on the list; choose one of: %(choices)s.")
                % {"value": text, "choices": "、".join(self.labels())}
            )
        return code

    def _parse_id_number(self, raw: object) -> str:
        text = normalise_id(self._text(raw))
        if "*" in text:
            return text  # a masked number from an export; the ledger matches it
        return parse_id_number(text).number

    def _parse_phone(self, raw: object) -> str:
        text = self._text(raw)  # as typed, like the forms: 0998-1234567 stays so
        if "*" in text:
            return text  # a masked number from an export; the ledger matches it
        validate_phone(text)
        return text

    def render(self, value: object) -> object:
        """The cell for a stored value: labels for codes, 是/否 for flags."""
        if value is None or value == "":
            return ""
        if self.kind == "choice":
            return self._labels_by_code.get(value, value)
        if self.kind == "bool":
            return "是" if value else "否"
        return value

    def renderer(self) -> Callable[[object], object] | None:
        """`render` as the quickest function for a long export; None where a value stays as it is."""
        if self.kind == "choice":
            labels = self._labels_by_code
            return lambda value: labels.get(value, value) if value is not None else ""
        if self.kind == "bool":
            return lambda value: "" if value is None else "是" if value else "否"
        return lambda value: "" if value is None else value

    @functools.cached_property
    def _labels_by_code(self) -> dict[str, str]:
        with translation.override("zh-hans"):
            return {code: str(label) for code, label in self.choices}


# A number in scientific notation, as Excel shows a long number stored as a number: 6.53125E+17.
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
# Words that say a 是/否 is not known, which the 已…/未… reading must not take for a yes or no.
UNSURE = re.compile("[详知清确定核]")


# A text that `Column.parse_clean` reads the full way (see `Column._quick_choice` and the rest).
_SLOW = object()
_QUICK_READINGS = {
    "choice": Column._quick_choice,
    "bool": Column._quick_bool,
    "id_number": Column._quick_id_number,
    "code": Column._quick_code,
    "phone": Column._quick_phone,
    "text": Column._quick_text,
}


def model_columns(sources: Sequence[type[models.Model]], columns: list[Column]) -> list[Column]:
    """`columns` with the `field` of each number, year and date column set to the field of the
    same name of the first of `sources` (models) that has one, so that its bounds are checked on
    reading. Returns a new list."""
    bounded = {"int", "decimal", "date"}
    result = []
    for column in columns:
        if column.kind in bounded and column.field is None:
            for model in sources:
                try:
                    model_field = model._meta.get_field(column.key)
                except FieldDoesNotExist:
                    continue
                column = dataclasses.replace(column, field=model_field)
                break
        result.append(column)
    return result


def _yuan_of(wan: str) -> str:
    """The yuan of an amount in 万元 as text (1.5 → 15000, 10 → 100000), or the hint
    「×10000」 for what is no number."""
    try:
        return _plain(Decimal(wan) * 10000)
    except ArithmeticError:
        return "×10000"


def _wan_of(yuan: str) -> str:
    """The 万元 of an amount in yuan as text (15000 → 1.5), or the hint 「÷10000」."""
    try:
        return _plain(Decimal(yuan) / 10000)
    except ArithmeticError:
        return "÷10000"


def _plain(amount: Decimal) -> str:
    """A finite Decimal without exponent or trailing zeros: 100000, 1.5. Raises
    ArithmeticError (InvalidOperation) for an infinite or NaN one."""
    if not amount.is_finite():
        raise InvalidOperation
    return f"{amount.normalize():f}"


def _typed_digits(raw: object) -> str:
    """What a cell holds as text: a text as it is, a whole number as its digits (Excel keeps
    a 15-digit ID number typed without a text mark as a number)."""
    if raw.__class__ is str:
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return str(int(raw))
    return ""


def _as_excel_shows(number: int | float) -> str:
    """A number as Excel's General format shows it: 6.53125203001E+18 for a long one."""
    if abs(number) < 10**11:
        return repr(number)
    mantissa, exponent = f"{number:.14E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent)}"


def _digits(text: str) -> bool:
    """0–9 only (str.isdigit also takes ① and ², which int() refuses)."""
    return text.isascii() and text.isdigit()


# A time of day after a date copied from another system (2019/5/1 0:00:00): not part of the fact.
TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
DATE_PATTERNS = [
    re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){TIME_OF_DAY}$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
# What `parse_rows` tells of a date given as a month only (besides the cleaner's notes).
MONTH_ONLY = "month_only"
# A month without its day (2019年5月, 2019-05, 2019.5): read as the month's last day, the day
# by which the fact certainly happened, so every monthly figure from that month on holds it.
MONTH_PATTERN = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})月?(?:份)?$")


def parse_date(raw: object) -> dt.date:
    """A date cell, an Excel serial number, or text as 2019-05-01, 2019/5/1, 2019.5.1,
    2019年5月1日, 20190501 or 2019/5/1 0:00:00 (the time dropped); a month without its day
    (2019年5月, 2019-05) is its last day (today for this month). Raises ValidationError with
    how to write it."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1900 <= raw < 2100:
            # A year, or a year.month that Excel took for a number (2019.10 is kept as 2019.1):
            # never read as the serial day 2019 (1905-07-11).
            raise ValidationError(
                _(
                    "%(value)s was stored by Excel as a number, not a date, and its month cannot "
                    "be told (2019.10 becomes 2019.1): write it as 2019-05-01, or 2019-05."
                )
                % {"value": raw}
            )
        return _serial_date(raw)
    text = clean_text(str(raw))
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    else:
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _serial_date(float(text))
        match = MONTH_PATTERN.match(text)
        if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) < 9999:
            year, month = int(match.group(1)), int(match.group(2))
            last = periods.last_day(f"{year:04d}-{month:02d}")
            today = dt.date.today()
            return min(last, today) if (year, month) == (today.year, today.month) else last
    raise ValidationError(
        _("%(value)s is not a date Excel or we can read; write it as 2019-05-01.") % {"value": raw}
    )


def _serial_date(number: float) -> dt.date:
    # Serial 1 is 1900-01-01 and 60 the phantom 1900-02-29; ledgers hold no date before 1900-03.
    if not 61 <= number < 2958466:
        raise ValidationError(
            _("%(value)s is not a date; write it as 2019-05-01.") % {"value": number}
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula: text starting with = + - @, a tab
    or a CR gets a leading ' (the import takes it off again)."""
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


# --- Reading an upload --------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows of the sheet that holds a ledger's columns: `positions` maps each column key to its
    0-based column in the sheet; `rows` are (Excel row number, cells) without empty rows."""

    name: str
    header_row: int
    positions: dict[str, int]
    rows: list[tuple[int, list]]
    warnings: list[str] = field(default_factory=list)


def check_upload_size(size: int) -> None:
    """Refuse an upload over the limit (before reading it)."""
    limit = settings.EXCEL_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; at most %(limit)d MB can be imported. Split it by site.")
            % {"size": size / 2**20, "limit": limit // 2**20}
        )


def check_upload(data: bytes, file_name: str = "") -> None:
    """Refuse what is not a readable .xlsx: too big, an old .xls, password-protected, corrupt, or
    a zip that inflates far beyond its size."""
    try:
        check_upload_size(len(data))
    except ValidationError as exc:
        raise WorkbookError(exc.messages[0]) from None
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(
                _(
                    "The workbook is protected by a password. Open it in Excel or WPS, remove the "
                    "password (File › Info › Protect Workbook) and save it again."
                )
            )
        raise WorkbookError(
            _(
                "This is an old .xls workbook. Open it in Excel or WPS and save it as "
                "“Excel workbook (*.xlsx)”."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError(
            _("%(name)s is not an Excel workbook (.xlsx). Download the template and fill it in.")
            % {"name": file_name or _("The file")}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise WorkbookError(_("The workbook is damaged and cannot be read.")) from None
    inflated = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if (
        inflated > settings.EXCEL_MAX_INFLATED_BYTES
        or inflated / packed > settings.EXCEL_MAX_COMPRESSION_RATIO
    ):
        raise WorkbookError(
            _(
                "The workbook would inflate to %(size)d MB, far more than its contents need; it "
                "was refused as unsafe. Copy the data into a new workbook and save that."
            )
            % {"size": inflated // 2**20}
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise WorkbookError(_("The file is a zip archive but not an Excel workbook (.xlsx)."))


def read_sheet(data: bytes, columns: Sequence[Column], file_name: str = "") -> Sheet:
    """The sheet holding `columns`, with the header found by its names among the first rows:
    under a title or a unit line, on one row or on two (group titles merged over their columns,
    the names on the row below, single columns merged down both rows), with spaces, line breaks,
    * marks, full-width brackets or a bracketed unit in the names. Raises WorkbookError naming
    what is missing or unreadable."""
    check_upload(data, file_name)
    workbook = _open_workbook(data)
    best = _best_header(workbook, _wanted_headers(columns))
    if best is None:
        raise WorkbookError(
            _("No sheet of the workbook has the template's column headers (such as %(header)s).")
            % {"header": columns[0].header}
        )
    # Rows and columns as `iter_rows` gives them (`origin`: where that is in the sheet).
    _score, name, sheet, header_index, found, extra, origin = best
    _check_header(columns, name, found, extra)
    warnings = _header_warnings(columns, found, extra)
    fill = _merged_fill(sheet, header_index, origin, warnings)
    _check_formulas(data, name)
    return Sheet(
        name=name,
        header_row=origin[0] + header_index + 1,
        positions={c.key: found.get(c.header, ABSENT) for c in columns},
        rows=_record_rows(sheet, header_index, origin, fill, warnings),
        warnings=warnings,
    )


def _open_workbook(data: bytes) -> python_calamine.CalamineWorkbook:
    """The upload opened by calamine; raises WorkbookError for a protected or damaged one."""
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise WorkbookError(
            _("The workbook is protected by a password; remove it and save again.")
        ) from None
    except Exception:
        raise WorkbookError(_("The workbook is damaged and cannot be read.")) from None


def _wanted_headers(columns: Sequence[Column]) -> dict[str, str]:
    """The names a sheet may give the columns (cleaned, `clean_header`) → the column's header:
    the header, the header without its bracketed note, and its aliases (`HEADER_ALIASES`)."""
    wanted = {clean_header(c.header): c.header for c in columns}
    for c in columns:
        # 数量（个） may be written 数量, 身份证号 as 身份证号码.
        wanted.setdefault(BRACKETED.sub("", clean_header(c.header)), c.header)
        for alias in HEADER_ALIASES.get(c.header, ()):
            wanted.setdefault(alias, c.header)
    return wanted


def _best_header(workbook, wanted: dict[str, str]) -> tuple | None:
    """The header that names the most `wanted` columns among the first rows of the visible
    worksheets but the template's own, as (how many, the sheet's name, the sheet, the header's
    row index as `iter_rows` counts, the found headers → positions, the names as the sheet has
    them, the origin of `iter_rows`); on a tie the earlier sheet and row, and the one-row
    header. None when no sheet names any."""
    best = None
    for meta in workbook.sheets_metadata:
        if meta.name in TEMPLATE_SHEETS:
            continue
        if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet) or str(
            meta.visible
        ) != str(python_calamine.SheetVisibleEnum.Visible):
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception:
            raise WorkbookError(_("The workbook is damaged and cannot be read.")) from None
        window = []
        for cells in sheet.iter_rows():
            window.append(cells)
            if len(window) > HEADER_SEARCH_ROWS:
                break
        origin = _origin(sheet, window[0] if window else None)
        for offset, cells in enumerate(window[:HEADER_SEARCH_ROWS]):
            below = window[offset + 1] if offset + 1 < len(window) else None
            candidates = [(offset, _header_names(cells, None, wanted))]
            if below is not None:
                candidates.append((offset + 1, _header_names(cells, below, wanted)))
            for row, (found, extra) in candidates:
                # More names found wins; on a tie the one-row header.
                if found and (best is None or len(found) > best[0]):
                    best = (len(found), meta.name, sheet, row, found, extra, origin)
    return best


def _check_header(
    columns: Sequence[Column], name: str, found: dict[str, int], extra: dict[str, str]
) -> None:
    """Raise WorkbookError when the header of sheet `name` (the `found` headers; `extra`, the
    names as the sheet has them, see `_header_names`) gives a column in another unit than the
    template's, lacks a required column, or names only who the rows are about."""
    # A bracketed unit in the sheet's name must be the template's: 金额(万元) is no 金额 in 元.
    for c in columns:
        given = _unit(extra.get(c.header, ""))
        expected = _unit(c.header) or ("元" if c.kind == "decimal" else "")
        if given and given != expected:
            raise WorkbookError(
                _(
                    "The column %(name)s is in %(given)s, but %(header)s is entered in "
                    "%(expected)s: convert the figures and name the column %(header)s."
                )
                % {
                    "name": extra[c.header],
                    "given": given,
                    "expected": expected or _("plain numbers"),
                    "header": c.header,
                }
            )
    missing = [
        c.header for c in columns if c.header not in found and (c.required or c.group_required)
    ]
    if missing:
        raise WorkbookError(
            _("The sheet %(sheet)s lacks the columns %(columns)s; copy them from the template.")
            % {"sheet": name, "columns": "、".join(missing)}
        )
    identity = {c.header for c in columns if c.is_key or c.key == "name"}
    if set(found) <= identity:
        # Only who the rows are about (a household sheet given to the labor import, say).
        raise WorkbookError(
            _(
                "The sheet %(sheet)s has only %(columns)s and none of this ledger's own columns, "
                "such as %(examples)s: check that it is the sheet for this ledger."
            )
            % {
                "sheet": name,
                "columns": "、".join(found),
                "examples": "、".join([c.header for c in columns if c.header not in identity][:3]),
            }
        )


def _header_warnings(
    columns: Sequence[Column], found: dict[str, int], extra: dict[str, str]
) -> list[str]:
    """What the user is told of the header: the template's columns the sheet lacks (read as
    blank) and the sheet's columns the template does not have (ignored)."""
    warnings = []
    absent = [c.header for c in columns if c.header not in found]
    if absent:
        # A county's own sheet keeps the columns it keeps: the others read as blank cells.
        warnings.append(
            _(
                "The sheet has no columns %(columns)s: nothing is read for them, and what is on "
                "record stays as it is."
            )
            % {"columns": "、".join(absent)}
        )
    ignored = [n for h, n in extra.items() if h not in found]
    if ignored:
        warnings.append(
            _("The columns %(columns)s are not in the template and were ignored.")
            % {"columns": "、".join(ignored)}
        )
    return warnings


def _record_rows(
    sheet, header_index: int, origin: tuple[int, int], fill: dict, warnings: list[str]
) -> list[tuple[int, list]]:
    """The rows under the header that hold a record, as (the sheet's row number, 1-based; the
    cells, merged ones filled by `fill`, see `_merged_fill`): blank rows left out, and total or
    signature lines (合计, 填表人 …) left out and named in `warnings`."""
    rows = []
    skipped = []
    merged_values: dict[tuple[int, int], object] = {}
    for index, cells in enumerate(sheet.iter_rows()):
        if index <= header_index:
            continue
        if fill:
            cells = _filled_down(cells, index, fill, merged_values)
        filled = [i for i, v in enumerate(cells[:3]) if _filled(v)]
        if not filled and not any(_filled(v) for v in cells):
            continue
        # A total or a signature line: in the sheet's first columns, where a record's key is.
        first = cells[filled[0]] if filled else None
        if isinstance(first, str) and FOOTER.match(clean_text(first)):
            skipped.append(origin[0] + index + 1)
            continue
        rows.append((origin[0] + index + 1, cells))
    if skipped:
        warnings.append(
            _(
                "Rows %(rows)s are a total or a signature line (合计, 填表人 …), not a record; "
                "they were not imported."
            )
            % {"rows": "、".join(map(str, skipped))}
        )
    return rows


# Other names county sheets give the template's columns.
HEADER_ALIASES = {
    "身份证号": (
        "身份证号码",
        "公民身份号码",
        "公民身份证号",
        "公民身份证号码",
        "身份证",
        "证件号码",
    ),
    "户编号": ("户号", "户编码", "家庭编号"),
    "安置区编码": ("安置点编码", "安置区代码", "安置点代码"),
    "与户主关系": ("与户主的关系", "家庭关系", "关系"),
    "文化程度": ("学历",),
    "健康状况": ("身体状况", "健康情况"),
    "联系电话": ("电话", "手机号", "手机号码", "联系方式"),
    "月收入": ("月工资", "月均收入", "月收入元"),
    "就业单位": ("工作单位", "务工单位"),
}
# Units a bracket after a column's name may give.
UNITS = re.compile(r"万元|元|亩|平方米|m2|公顷|公斤|吨|%")


def _unit(name: str) -> str:
    """The unit in the brackets of a column's name (「金额(万元)」 → 万元), or ""."""
    return "".join(UNITS.findall("".join(BRACKETED.findall(clean_header(name)))))


# The position of a column the sheet does not have: past every row's end, so its cells read blank.
ABSENT = 1 << 20
# A bracketed note after a column's name: 月收入（元）, 身份证号(18位).
BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def _header_names(
    upper: list, lower: list | None, wanted: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """The ledger's headers found in a header row (`lower` None) or in two rows (`upper` with
    group titles and single names merged down, `lower` with the grouped columns' names): the
    found headers with their 0-based positions; and the names as the sheet has them of the
    headers found only without a bracket (by header), with the other names of the header
    (ignored, by themselves)."""
    found: dict[str, int] = {}
    extra: dict[str, str] = {}
    width = max(len(upper), len(lower or ()))
    for position in range(width):
        names = []
        if lower is not None and position < len(lower):
            names.append(clean_header(lower[position]))
        if position < len(upper):
            names.append(clean_header(upper[position]))
        names = [n for n in names if n]
        if not names:
            continue
        for name in names:
            header = wanted.get(name)
            if header is None:
                header = wanted.get(BRACKETED.sub("", name))
                if header is not None and header not in found:
                    extra[header] = name  # its bracket is checked for a unit
            if header is not None:
                found.setdefault(header, position)
                break
        else:
            # Above a named column, a group title (旧房拆除及复垦) is no column of its own.
            extra[names[0]] = names[0]
    return found, extra


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# In a sheet's XML: a row's start, or a cell's value (<v>, or <is> for text written inline). A
# row of the template's formatted empty cells has neither.
ROW_OR_VALUE = re.compile(rb"<(?:\w+:)?(row)\b|<(?:\w+:)?(?:v|is)>")


def estimate_rows(data: bytes, columns: Sequence[Column]) -> int:
    """About how many rows of data an upload has, cheaply: the rows holding a value in its
    largest sheet, counted in the sheet's XML without reading the cells (a template with two
    typed rows and 5,000 formatted empty ones counts 2, not the 5,001 of the sheet's recorded
    size), less one header row. 0 if it is unreadable."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        counts = [0]
        for name, path in _sheet_paths(archive).items():
            if name not in TEMPLATE_SHEETS and path in archive.namelist():
                counts.append(_rows_with_values(archive, path))
        # Less the header row.
        return max(0, max(counts) - 1)
    except (zipfile.BadZipFile, ValueError, OSError, ElementTree.ParseError, KeyError):
        return 0


def _rows_with_values(archive: zipfile.ZipFile, name: str) -> int:
    """The rows of a sheet's XML that hold at least one value (a row's `r` attribute is
    optional, so rows are told apart by their order)."""
    rows = with_values = last = 0
    tail = b""
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(4 * 2**20)
            text = tail + chunk
            # A tag cut at the chunk's end is read whole in the next round.
            cut = max(text.rfind(b"<"), 0) if chunk else len(text)
            for match in ROW_OR_VALUE.finditer(text, 0, cut):
                if match.group(1) is not None:
                    rows += 1
                elif last != rows:
                    last = rows
                    with_values += 1
            if not chunk:
                break
            tail = text[cut:]
    return with_values


# The first cell of a line under a ledger's records that is no record: a total, a signature.
FOOTER = re.compile(
    r"^(合\s*计|总\s*计|小\s*计|填表人|填报人|制表人|审核人|负责人|填表日期|制表日期|单位负责人"
    r"|制表[:：]|审核[:：]|填报单位|填表单位|注[:：]|说明[:：]|备注[:：])"
)


def _origin(sheet, first: list | None) -> tuple[int, int]:
    """Where the rows and cells that `iter_rows` gives start in the sheet, as (row, column),
    0-based: python-calamine starts its rows at the sheet's first row but its cells at the
    first column that holds data (a sheet whose data starts at B3 gives its rows from row 1,
    their cells from column B). Told from the first row given: a first row of data starts
    with the data; a blank one is above it."""
    start = sheet.start or (0, 0)
    end = sheet.end or start
    rows = start[0] if first is not None and any(_filled(v) for v in first) else 0
    columns = start[1] if first is not None and len(first) == end[1] - start[1] + 1 else 0
    return rows, columns


def _merged_fill(sheet, header_index: int, origin: tuple[int, int], warnings: list[str]) -> dict:
    """Where cells merged in the data rows take their value from: for each row index (as
    `iter_rows` counts, `origin` being where it starts), (column, top row, left column) of
    every merged cell but a range's top-left one, and under ("top", row) the ranges whose value
    that row holds. A household's cells merged down over its members' rows (as county ledgers
    have them) read as the household's value on each row; the user is told which ranges.
    Ranges are cut at the sheet's last row and column. Raises WorkbookError for a range that
    runs from the header into the data."""
    fill: dict = {}
    ranges = []
    end = sheet.end or (0, 0)
    for start, stop in sorted(sheet.merged_cell_ranges or []):
        top, left = start[0] - origin[0], start[1] - origin[1]
        bottom = min(stop[0], end[0]) - origin[0]
        right = min(stop[1], end[1]) - origin[1]
        if bottom <= header_index:
            continue  # a title or a two-level header
        if top <= header_index:
            raise WorkbookError(
                _(
                    "The cells %(cells)s are merged from the header into the data rows. Unmerge "
                    "them so that the header and each row stand on their own."
                )
                % {"cells": _range_name(start, stop)}
            )
        if left < 0:
            continue  # left of every value: nothing to read
        ranges.append(_range_name(start, stop))
        fill.setdefault(("top", top), []).append((top, left))
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                if (row, column) != (top, left):
                    fill.setdefault(row, []).append((column, top, left))
    if ranges:
        shown = "、".join(ranges[:5]) + ("…" if len(ranges) > 5 else "")
        warnings.append(
            _(
                "The merged cells %(cells)s were read as their value on each of their rows; check "
                "that this is what they mean."
            )
            % {"cells": shown}
        )
    return fill


def _filled_down(cells: list, index: int, fill: dict[int, list], values: dict) -> list:
    """The row `cells` (0-based row `index`) with its merged cells given their range's value;
    `values` keeps the top-left values of the ranges seen so far."""
    for top, left in fill.get(("top", index), ()):
        if left < len(cells):
            values[(top, left)] = cells[left]
    spots = fill.get(index)
    if not spots:
        return cells
    cells = list(cells)
    for column, top, left in spots:
        if column >= len(cells):
            cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = values.get((top, left), "")
    return cells


def _range_name(start: tuple[int, int], end: tuple[int, int]) -> str:
    """A range of 0-based (row, column) corners as Excel names it: B4:B6."""
    return (
        f"{get_column_letter(start[1] + 1)}{start[0] + 1}:"
        f"{get_column_letter(end[1] + 1)}{end[0] + 1}"
    )


FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*?(?<!/)>\s*<(?:\w+:)?f[\s>/]')


SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's sheets in their order: name → the path of the sheet's XML in the archive
    (by workbook.xml and its relationships)."""
    ns = {"m": SPREADSHEET_NS, "r": RELATIONSHIPS_NS}
    if "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    }
    paths = {}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{RELATIONSHIPS_NS}}}id"))
        if target:
            paths[sheet.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    return paths


def _check_formulas(data: bytes, sheet_name: str) -> None:
    """Refuse formula cells: what a formula shows depends on other cells and on the last time
    Excel calculated, and a ledger records values."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    path = _sheet_paths(archive).get(sheet_name)
    if path is None or path not in archive.namelist():
        return
    found: list[str] = []
    tail = b""
    with archive.open(path) as stream:
        while len(found) < 5:
            chunk = stream.read(4 * 2**20)
            if not chunk:
                break
            text = tail + chunk
            if b"<f" in text or b":f" in text:  # the regular expression only where it may match
                found.extend(m.group(1).decode() for m in FORMULA_CELL.finditer(text))
            # a cell split across two chunks is found in the next round
            cut = text.rfind(b"<", 0, max(0, len(text) - 200))
            tail = text[cut:] if cut > 0 else text[-200:]
    if found:
        raise WorkbookError(
            _(
                "Cells %(cells)s hold formulas. Copy the sheet and paste it back as values "
                "(Paste Special › Values), then import again."
            )
            % {"cells": "、".join(dict.fromkeys(found[:5]))}
        )


# --- Ledgers and the import pipeline --------------------------------------------------------------


class Ledger:
    """What a ledger's importer and exporter declare. Subclasses set `name`, `title`, `columns`,
    and implement `plan` (check every row against the records, no writes) and `commit`."""

    name: str
    title: str
    columns: list[Column]
    notes: list[str] = []
    # The page of the ledger's list (a URL name), where its import and export start.
    list_url: str = ""
    # The stem of its pages' URL names: "<url_name>-template", "-import", "-export".
    url_name: str = ""
    # Permission (app_label.codename) to export ID numbers and phones in full.
    reveal_permission: str = ""
    # Why a user who may not import is refused.
    import_denied = gettext_lazy("Your role may not import this ledger.")
    # What an export reads (`export_query`): the records of the ledger's list, and the list's
    # filters (a django-filter FilterSet class taking the list page's query parameters).
    model: type[models.Model]
    filterset: type

    def may_import(self, user) -> bool:
        """Whether `user` may import into this ledger at all (rows are checked one by one)."""
        raise NotImplementedError

    def column(self, key: str) -> Column:
        return self.by_key[key]

    @functools.cached_property
    def by_key(self) -> dict[str, Column]:
        """The columns by key, in their order; what the import services name and render the
        values of their messages by."""
        return {c.key: c for c in self.columns}

    def plan(self, rows: list[Row], *, actor, result: ImportResult):
        """Fill `result` with the counts and errors; return what `commit` needs. A ledger calls
        its app's import service (`household_import_plan`, …)."""
        raise NotImplementedError

    def commit(self, plan, *, actor) -> None:
        """Write `plan`, inside the pipeline's transaction: the app's import service
        (`household_import_commit`, …)."""
        raise NotImplementedError

    def example_rows(self) -> list[list]:
        return [[c.example for c in self.columns]]

    def export_query(self, user, params: dict):
        """What `user` exports with the list's filters `params` (the list page's query
        parameters; "region", a region's code, narrows to it): the records of `model` the user
        sees, filtered by `filterset`, as `export_from` orders and selects them (a queryset
        `export_rows` renders). Raises ValidationError ("filter: what is wrong", one message
        per wrong filter)."""
        records = self.model.objects.visible_to(user, region=params.get("region") or None)
        filterset = self.filterset(params, queryset=records)
        if not filterset.is_valid():
            raise ValidationError(
                [f"{name}: {' '.join(e)}" for name, e in filterset.errors.items()]
            )
        return self.export_from(filterset.qs)

    def export_from(self, records):
        """The export's query of `records` (filtered, scoped): its order, its joins and the
        values `export_rows` renders."""
        raise NotImplementedError

    def export_rows(self, query, *, reveal: bool) -> Iterator[list]:
        """The rendered rows of `query`, sensitive values masked unless `reveal`."""
        raise NotImplementedError


LEDGERS: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    LEDGERS[ledger.name] = ledger
    return ledger


# How many distinct texts of one column `parse_rows` remembers the reading of.
PARSE_MEMO_SIZE = 20_000


def parse_rows(
    sheet: Sheet,
    columns: Sequence[Column],
    errors: list[RowError],
    warnings: list[str] | None = None,
) -> list[Row]:
    """The sheet's rows read by `columns`: each cell cleaned (`clean_text`), then parsed. A
    cell that cannot be read is listed in `errors` (row, column, what to fix). What the user
    should know but need not fix goes to `warnings`: characters read as half-width or removed
    (by column, with the rows), 15-digit ID numbers converted to 18 digits (by row). Returns
    the rows in sheet order.

    Cleaning and parsing a text depend on the text and the column alone, and a ledger repeats
    its texts (a household's fields on every member's row, code lists, 是/否, dates, blanks):
    each column remembers what its first `PARSE_MEMO_SIZE` distinct texts read as (the value
    and the cleaning's note), and a text seen again takes that reading. Every text cell is
    still read as the cleaner and the column read it; a cell in error is read again each time,
    so that each gets its message. ID numbers, unique and dated by today, are not remembered."""
    # A column the sheet does not have reads blank on every row: read once, not per cell.
    absent = {}
    for c in columns:
        if sheet.positions[c.key] >= ABSENT:
            try:
                absent[c.key] = c.parse_clean(None)
            except ValidationError:
                continue  # required: read per row, so that each row gets its message
    reading = _Reading(
        errors,
        absent,
        [
            (
                c.key,
                sheet.positions[c.key],
                c.parse_clean,
                c.header,
                c.kind,
                None if c.kind == "id_number" else {},
            )
            for c in columns
            if c.key not in absent
        ],
    )
    rows = [reading.row(number, cells) for number, cells in sheet.rows]
    if warnings is not None:
        warnings.extend(reading.warnings())
    return rows


@dataclass
class _Reading:
    """The reading of a sheet's rows by `parse_rows`: the cells' errors go to `errors`; every
    row starts from the values of the columns the sheet lacks (`absent`); `plan` says for each
    other column (key, position in the row, its `parse_clean`, header, kind, and the readings
    it remembers by text, None for none). Keeps what the cleaner and the dates noted, by
    (header, note) with the rows (`cleaned`), and the 15-digit ID numbers converted
    (`converted`, the messages)."""

    errors: list[RowError]
    absent: dict[str, object]
    plan: list[tuple]
    cleaned: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    converted: list[str] = field(default_factory=list)

    def row(self, number: int, cells: list) -> Row:
        """Sheet row `number` read from its `cells`."""
        values = dict(self.absent)
        invalid = set()
        width = len(cells)
        cleaned = self.cleaned
        for key, position, parse, header, kind, memo in self.plan:
            raw = cells[position] if position < width else None
            if raw.__class__ is str and memo is not None:
                known = memo.get(raw)
                if known is not None:
                    values[key], note = known
                    if note is not None:
                        cleaned.setdefault((header, note), []).append(number)
                    continue
            value = values[key] = self._cell(number, raw, parse, header, kind, memo)
            if value is _UNREADABLE:
                values[key] = None
                invalid.add(key)
        return Row(number=number, values=values, invalid=invalid)

    def _cell(self, number, raw, parse, header, kind, memo) -> object:
        """A cell that no remembered reading gives: cleaned and parsed, its reading remembered
        in `memo` (a text) or the conversion of a 15-digit ID number noted; _UNREADABLE after
        its error is listed."""
        typed = raw
        note = None
        if raw.__class__ is str:
            raw, note = clean_text_noted(raw)
            if note is not None:
                self.cleaned.setdefault((header, note), []).append(number)
        try:
            value = parse(raw)
        except ValidationError as exc:
            self.errors.append(RowError(number, header, " ".join(exc.messages)))
            return _UNREADABLE
        except (ValueError, TypeError, ArithmeticError):
            self.errors.append(
                RowError(number, header, _("This cell cannot be read; type it again."))
            )
            return _UNREADABLE
        if kind == "date" and raw.__class__ is str and value and MONTH_PATTERN.match(raw):
            note = MONTH_ONLY
            self.cleaned.setdefault((header, note), []).append(number)
        if memo is not None:
            if typed.__class__ is str and len(memo) < PARSE_MEMO_SIZE:
                memo[typed] = (value, note)
        elif kind == "id_number" and value and len(_typed_digits(raw)) == 15:
            self.converted.append(
                _(
                    "Row %(row)d, %(column)s: the old 15-digit ID number %(old)s was "
                    "converted to the 18-digit %(new)s."
                )
                % {"row": number, "column": header, "old": _typed_digits(raw), "new": value}
            )
        return value

    def warnings(self) -> list[str]:
        """What the cleaning noted, by column with its first rows, then the conversions."""
        warnings = []
        for (header, note), numbers in self.cleaned.items():
            shown = "、".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")
            message = (
                _(
                    "%(column)s, rows %(rows)s: full-width characters (such as full-width digits) "
                    "were read as half-width."
                )
                if note == FULL_WIDTH
                else _(
                    "%(column)s, rows %(rows)s: a month without its day was read as the month's "
                    "last day; write the day where it is known."
                )
                if note == MONTH_ONLY
                else _(
                    "%(column)s, rows %(rows)s: invisible characters (such as zero-width spaces) "
                    "copied from another system were removed."
                )
            )
            warnings.append(message % {"column": header, "rows": shown})
        warnings.extend(self.converted[:MAX_ERRORS])
        return warnings


# What `_Reading._cell` gives for a cell it cannot read (its error listed).
_UNREADABLE = object()


def run_import(
    ledger: Ledger,
    data: bytes,
    *,
    actor,
    commit: bool,
    file_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read, check and (with `commit` and no error) write an upload in one transaction. Any error
    leaves the records as they were. Returns the counts, errors and warnings."""
    with _cycle_collection_paused():
        return _run_import(
            ledger, data, actor=actor, commit=commit, file_name=file_name, progress=progress
        )


@contextlib.contextmanager
def _cycle_collection_paused():
    """Python's cycle collector paused for the block (and restored after, as it was). An import
    builds a few hundred thousand objects that live until its end (the cells, the rows, the
    planned records), and each of them made the collector walk the growing heap again: about a
    second of a 50,000-row import (BENCHMARKS.md). Memory freed by reference counting is freed
    as before; cycles made meanwhile wait for the collector's next run after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_import(ledger, data, *, actor, commit, file_name, progress) -> ImportResult:
    """The body of `run_import` (same arguments and result)."""
    result = ImportResult()
    try:
        sheet = read_sheet(data, ledger.columns, file_name)
    except WorkbookError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    if progress:
        progress(10)
    result.rows = len(sheet.rows)
    result.warnings = sheet.warnings
    if not sheet.rows:
        result.errors.append(RowError(None, None, _("The sheet has no rows under its headers.")))
        return result
    errors: list[RowError] = []
    rows = parse_rows(sheet, ledger.columns, errors, result.warnings)
    del sheet  # the cells as read: half the memory of a large upload
    if progress:
        progress(30)
    # The check reads only; the commit re-checks what it changes (versions, unique keys), so
    # that the transaction, and the locks it takes, last only as long as the writing.
    plan = ledger.plan(rows, actor=actor, result=result)
    result.errors = sorted(errors + result.errors, key=lambda e: e.row or 0)[:MAX_ERRORS]
    if commit or result.errors:
        # What a check would write is shown before 确认导入 only, and not beside errors: the
        # rows in error are left out of it. The commit's result keeps no copy of the values.
        result.preview = Preview()
    if progress:
        progress(60)
    if commit and not result.errors:
        try:
            with transaction.atomic():
                ledger.commit(plan, actor=actor)
        except ValidationError as exc:
            result.errors.append(RowError(None, None, " ".join(exc.messages)))
        except IntegrityError:
            result.errors.append(RowError(None, None, str(CHANGED_MEANWHILE)))
        else:
            result.committed = True
    if progress:
        progress(100)
    return result


# --- Writing ------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
TEMPLATE_TEXT_ROWS = 5000


def template_workbook(ledger: Ledger) -> bytes:
    """The import template: the headers (required ones shaded), drop-downs for code lists,
    text-formatted code, ID and phone columns, a notes sheet and an example sheet."""
    with translation.override("zh-hans"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = ledger.title
        lists = workbook.create_sheet(LISTS_SHEET)
        notes = workbook.create_sheet(NOTES_SHEET)
        example = workbook.create_sheet(EXAMPLE_SHEET)
        list_column = 0
        for index, column in enumerate(ledger.columns, start=1):
            _template_column(sheet, index, column)
            values = (
                column.labels()
                if column.kind == "choice"
                else ["是", "否"]
                if column.kind == "bool"
                else None
            )
            if values:
                list_column += 1
                _template_list(sheet, lists, index, list_column, column, values)
        sheet.freeze_panes = "A2"
        lists.sheet_state = "hidden"
        _template_notes(notes, ledger)
        _template_example(example, ledger)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _template_column(sheet, index: int, column: Column) -> None:
    """The template's column `index` (1-based): its header (required ones shaded, the note as
    a comment), width, and the text or date format of its first `TEMPLATE_TEXT_ROWS` rows."""
    letter = get_column_letter(index)
    cell = sheet.cell(row=1, column=index, value=column.header)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.fill = REQUIRED_FILL if column.required or column.group_required else HEADER_FILL
    if column.note:
        cell.comment = Comment(column.note, "resettle")
    sheet.column_dimensions[letter].width = column.width
    if column.is_text:
        for row in range(2, TEMPLATE_TEXT_ROWS + 2):
            sheet.cell(row=row, column=index).number_format = "@"
    elif column.kind == "date":
        for row in range(2, TEMPLATE_TEXT_ROWS + 2):
            sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"


def _template_list(sheet, lists, index: int, list_column: int, column: Column, values) -> None:
    """The drop-down of the template's column `index` (1-based): the `values` it offers in
    column `list_column` of the hidden code list sheet `lists`, and a validation that refuses
    other values."""
    letter = get_column_letter(index)
    list_letter = get_column_letter(list_column)
    lists.cell(row=1, column=list_column, value=column.header)
    for offset, value in enumerate(values, start=2):
        lists.cell(row=offset, column=list_column, value=value)
    validation = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}",
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=column.header,
        error="请从下拉列表中选择",
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_TEXT_ROWS + 1}")
    sheet.add_data_validation(validation)


def _template_notes(notes, ledger: Ledger) -> None:
    """The template's 填写说明 sheet: per column whether it is required, its note, the values
    accepted and an example; then the ledger's notes."""
    notes.append(["列名", "是否必填", "填写说明", "可选值", "示例"])
    for column in ledger.columns:
        choices = _accepted_values(column)
        notes.append(
            [
                column.header,
                "必填" if column.required or column.group_required else "选填",
                column.note,
                choices,
                _example_text(column.example),
            ]
        )
    notes.append([])
    for line in ledger.notes:
        notes.append([line])
    for letter, width in zip("ABCDE", (16, 10, 60, 40, 24), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2, max_col=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _template_example(example, ledger: Ledger) -> None:
    """The template's 填写示例 sheet: the headers and the ledger's example rows."""
    example.append([c.header for c in ledger.columns])
    for row in ledger.example_rows():
        example.append([_example_text(v) for v in row])
    for index, column in enumerate(ledger.columns, start=1):
        example.column_dimensions[get_column_letter(index)].width = column.width
        example.cell(row=1, column=index).font = Font(bold=True)


def _accepted_values(column: Column) -> str:
    """The notes sheet's 可选值 for a column: the labels, each with the aliases also read as it
    (「就地就近就业（也可填：就地就近、本地就业）」), and for 是/否 the marks read as each."""
    if column.kind == "choice":
        aliases = column.aliases()
        return "\n".join(
            f"{label}（也可填：{'、'.join(aliases[label])}）" if aliases.get(label) else label
            for label in column.labels()
        )
    if column.kind == "bool":
        yes = "、".join(sorted(TRUE_WORDS - {"是"}))
        no = "、".join(sorted(FALSE_WORDS - {"否"}))
        return f"是（也可填：{yes}）\n否（也可填：{no}）"
    return ""


def _example_text(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _sheet(columns: Sequence[Column], title: str, extra_headers: Sequence[str] = ()) -> SheetWriter:
    """A sheet with the columns' headers, widths and default formats."""
    widths = [c.width for c in columns] + [60] * len(extra_headers)
    styles = [TEXT if c.is_text else DATE if c.kind == "date" else PLAIN for c in columns]
    writer = SheetWriter(title, widths, styles + [PLAIN] * len(extra_headers))
    headers = [c.header for c in columns] + list(extra_headers)
    writer.write_row(headers, [HEADER] * len(headers))
    return writer


def annotated_workbook(ledger: Ledger, data: bytes, errors: Sequence[RowError]) -> io.IOBase:
    """The uploaded rows again, with every cell in error marked red and a column giving the
    reasons, so the user fixes the file where they see it and imports it again."""
    sheet = read_sheet(data, ledger.columns)
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        if error.row is not None:
            by_row.setdefault(error.row, []).append(error)
    index_of = {c.header: i for i, c in enumerate(ledger.columns)}
    plain = [TEXT if c.is_text else PLAIN for c in ledger.columns] + [PLAIN]
    out = _sheet(ledger.columns, ledger.title, ["错误原因"])
    for number, cells in sheet.rows:
        values = [
            cells[sheet.positions[c.key]] if sheet.positions[c.key] < len(cells) else None
            for c in ledger.columns
        ]
        row_errors = by_row.get(number, [])
        styles = list(plain)
        for error in row_errors:
            if error.column in index_of:
                index = index_of[error.column]
                styles[index] = BAD_TEXT if plain[index] == TEXT else BAD
        reasons = "；".join(
            f"第{number}行「{e.column}」：{e.message}" if e.column else f"第{number}行：{e.message}"
            for e in row_errors
        )
        styles[-1] = BAD if reasons else PLAIN
        out.write_row([*values, reasons], styles)
    return out.close()


def export_xlsx(columns: Sequence[Column], title: str, rows: Iterable[Sequence]) -> io.IOBase:
    """`rows` (values in the order of `columns`, as rendered) as an .xlsx file, formula
    characters neutralised."""
    out = _sheet(columns, title)
    for values in rows:
        out.write_row(values)
    return out.close()


class _Echo:
    def write(self, value):
        return value


def export_csv(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[str]:
    """`rows` as CSV text in chunks: UTF-8 with a byte-order mark, so Excel and WPS read the
    Chinese correctly; formula characters neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.header for c in columns])
    for values in rows:
        yield writer.writerow(
            [
                v.isoformat()
                if isinstance(v, dt.date)
                else neutralise(v)
                if isinstance(v, str)
                else ("" if v is None else v)
                for v in values
            ]
        )
