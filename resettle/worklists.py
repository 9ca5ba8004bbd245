"""The worklists a cadre works through (零就业家庭, 五清不全, 预警信息 …): each lists the records of
one indicator of the catalogue, so that its count is the figure the dashboards and reports
show for the same area and date. The apps register theirs beside the indicator (their
`indicators.py`); the menu and the overview show each one's count and link to it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Worklist:
    """A list of the records of the indicator `code` (resettle.indicators.catalogue) as of
    today, at the page `url_name` (with `args`, and `query` for a list page filtered to them);
    `section` is the menu entry it belongs under ("households", "labor", "monitoring", "sites")."""

    code: str
    title: str | Promise
    section: str
    url_name: str
    args: tuple = ()
    query: str = ""

    def url(self) -> str:
        address = reverse(self.url_name, args=self.args)
        return f"{address}?{self.query}" if self.query else address


_worklists: list[Worklist] = []


def register(*worklists: Worklist) -> None:
    """Add `worklists` in the order the menu and the overview list them. Raises ValueError for
    an indicator registered twice."""
    for worklist in worklists:
        if any(w.code == worklist.code for w in _worklists):
            raise ValueError(f"a worklist of {worklist.code} is registered twice")
        _worklists.append(worklist)


def registered(section: str | None = None) -> list[Worklist]:
    """The worklists, of one menu `section` or all."""
    return [w for w in _worklists if section is None or w.section == section]


def url_of(code: str) -> str:
    """The address of the worklist of the indicator `code`. Raises KeyError for none."""
    for worklist in _worklists:
        if worklist.code == code:
            return worklist.url()
    raise KeyError(code)
