"""What an import's check and write exchange, whatever the file: the parsed rows (`Row`), the
errors by row and column (`RowError`), the counts and messages (`ImportResult`), what the check
would create and change (`Preview`), the IN lists of the check's queries (`chunks`) and what an
import says when its records changed meanwhile (`CHANGED_MEANWHILE`). The apps' import services
(`household_import_plan`, …) take and give these; `resettle.excel` reads the workbook into them
and runs the pipeline (`run_import`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from resettle.masking import SENSITIVE_FIELDS

# What an import says when others wrote the same records between its check and its commit.
CHANGED_MEANWHILE = gettext_lazy(
    "Someone changed some of these records while the file was being checked; nothing was "
    "imported. Upload the file again."
)


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    """A parsed row: `values` by column key, `number` the Excel row; `invalid` the keys of the
    cells that could not be read (None in `values`, their errors already listed)."""

    number: int
    values: dict
    invalid: set = field(default_factory=set)


# How many records the check's page lists of those an import creates or changes (issue 18, item
# 4): enough to read through before 确认导入; the others are counted, so the page stays quick.
PREVIEW_LIMIT = 200


@dataclass
class Preview:
    """What a checked import will write, for its page before 确认导入: the records it creates or
    changes in the file's order, the first `PREVIEW_LIMIT` listed (`entries`) and the others
    counted (`more`).

    An entry is a dict: "action" ("created" or "changed"); "label" and "detail", the record as
    the page names it (户编号 and the head's name, a person's name and relation …); "fields",
    for a change each field that changes as [header, old, new, mask], for a new record what it
    is given as [header, "", new, mask] (`field_change`: the values as text as the column shows
    them, "" for blank; `mask` the key of `resettle.masking.SENSITIVE_FIELDS` that masks them,
    "" for none); "parts", entries of the records within it (a household's members, a
    person's profile and jobs)."""

    entries: list[dict] = field(default_factory=list)
    more: int = 0

    @property
    def full(self) -> bool:
        """Whether the list is full: a further record is counted in `more`, not listed."""
        return len(self.entries) >= PREVIEW_LIMIT

    def add(
        self, action: str, label: str, detail: str = "", fields: list = (), parts: list = ()
    ) -> None:
        """List a record created or changed (see the class), or count it once the list is full
        (callers that build an entry at some cost ask `full` first and count in `more`)."""
        if self.full:
            self.more += 1
            return
        self.entries.append(entry(action, label, detail, fields, parts))

    def as_dict(self) -> dict:
        return {"entries": self.entries, "more": self.more}

    def shown(self, *, reveal: bool) -> list[dict]:
        """The entries as a page shows them: the sensitive values masked (SENSITIVE_FIELDS)
        unless `reveal`, which the caller checked and logged."""
        return [_shown(e, reveal) for e in self.entries]


def entry(action: str, label: str, detail: str = "", fields: list = (), parts: list = ()) -> dict:
    """An entry of a `Preview` (see there), or of an entry's "parts"."""
    return {
        "action": action,
        "label": label,
        "detail": detail,
        "fields": list(fields),
        "parts": list(parts),
    }


def field_change(column, old: object, new: object) -> list:
    """A field of a `Preview` entry: [header, old, new, mask] for `column` (a
    `resettle.excel.Column`), the stored values `old` and `new` rendered as the column renders
    them in an export (labels for codes, 是/否, dates as 2019-05-01), "" for blank."""
    mask = column.kind if column.kind in SENSITIVE_FIELDS else ""
    return [column.header, preview_text(column.render(old)), preview_text(column.render(new)), mask]


def preview_text(value: object) -> str:
    """A rendered value as the preview's text: a date as 2019-05-01, an amount (a decimal
    column's, in yuan) to the fen as 1800.50, "" for none."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _shown(item: dict, reveal: bool) -> dict:
    fields = []
    for header, old, new, mask in item["fields"]:
        if mask and not reveal:
            old, new = SENSITIVE_FIELDS[mask](old), SENSITIVE_FIELDS[mask](new)
        fields.append({"header": header, "old": old, "new": new})
    return {**item, "fields": fields, "parts": [_shown(p, reveal) for p in item["parts"]]}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False
    # What the check would write, for the page before 确认导入 (a check without errors only).
    preview: Preview = field(default_factory=Preview)

    def as_dict(self) -> dict:
        data = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": self.warnings,
            "committed": self.committed,
        }
        if self.preview.entries or self.preview.more:
            data["preview"] = self.preview.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        return cls(
            **{k: v for k, v in data.items() if k not in {"errors", "preview"}},
            errors=[RowError(**e) for e in data.get("errors", [])],
            preview=Preview(**data.get("preview", {})),
        )


# The IN lists of one query in a ledger's plan: SQLite allows 32,766 parameters.
CHUNK = 5000


def chunks(values: list, size: int = CHUNK):
    """`values` in slices of `size`, for IN lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
