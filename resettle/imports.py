"""What an import's check and write exchange, whatever the file: the parsed rows (`Row`), the
errors by row and column (`RowError`), the counts and messages (`ImportResult`), the IN lists of
the check's queries (`chunks`) and what an import says when its records changed meanwhile
(`CHANGED_MEANWHILE`). The apps' import services (`household_import_plan`, …) take and give these;
`resettle.excel` reads the workbook into them and runs the pipeline (`run_import`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

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


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": self.warnings,
            "committed": self.committed,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        return cls(
            **{k: v for k, v in data.items() if k not in {"errors"}},
            errors=[RowError(**e) for e in data.get("errors", [])],
        )


# The IN lists of one query in a ledger's plan: SQLite allows 32,766 parameters.
CHUNK = 5000


def chunks(values: list, size: int = CHUNK):
    """`values` in slices of `size`, for IN lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
