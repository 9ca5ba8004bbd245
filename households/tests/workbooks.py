"""Workbooks as a cadre would bring them, for the import tests."""

import io

from openpyxl import Workbook

from households.excel import LEDGER

HEADERS = [c.header for c in LEDGER.columns]


def person_row(**values) -> list:
    """A row of the household template; `values` by column key, others blank."""
    keys = [c.key for c in LEDGER.columns]
    unknown = set(values) - set(keys)
    assert not unknown, unknown
    return [values.get(k, "") for k in keys]


def xlsx(
    rows: list[list], headers: list[str] | None = None, *, above: list[list] = (), edit=None
) -> bytes:
    """An .xlsx with `above` rows (titles), the headers, then `rows`; `edit(sheet)` may change it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for row in above:
        sheet.append(row)
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
