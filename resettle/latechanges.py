"""Changes dated back into a month whose monthly report is already approved (issue 15, item 8).

The ledger takes every such change (DESIGN.md, "Facts keep their own dates"), but an approved
monthly report keeps the figures it was approved with: the reviewer must learn that the live
figures of its month have moved, and whoever made the change, which approved report it leaves
behind. The ledger apps may not import governance, which keeps the reports; so they tell this
module, and governance registers at start-up the recorder that looks for the approved reports
(`register`). Without a recorder nothing is recorded and nobody is told anything.

A write tells what it changed with `note` (one call per service, or one per import with all its
rows); a page, an API call or an import opens `collected()` around its work and, once its
transaction is over, reads what to tell the user: one message per approved report touched,
however many records touched it. Only what was committed is told."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.utils import timezone


@dataclass(frozen=True, slots=True)
class DatedChange:
    """One fact written with its own date `on`. `what` says what happened (an English msgid,
    translated when shown: "job ended"); `record` is the record written (its id is read when
    the change is recorded, after an import has inserted it). Where the record is: its
    household (`household_id`: its number names the record, its site's county places it), or
    else `label` (a project code, no personal data) and `region` (the county code)."""

    on: dt.date
    what: str
    record: models.Model
    household_id: int | None = None
    label: str = ""
    region: str = ""


# Record: (actor, changes, batch) -> whether any change touched an approved report.
Record = Callable[..., bool]
# Notes: (batch) -> the messages for the changes recorded under `batch`.
Notes = Callable[..., list[str]]
# Covered until: () -> the last day of the latest approved month, or None.
CoveredUntil = Callable[[], dt.date | None]

_recorder: dict[str, Callable] = {}


def register(*, record: Record, notes: Notes, covered_until: CoveredUntil) -> None:
    """Install the recorder (governance does, when the apps are ready): `record(actor=,
    changes=, batch=)` keeps the changes that touch an approved report under the token `batch`
    and says whether there were any; `notes(batch=)` returns the messages about them;
    `covered_until()` is `covered_until` below."""
    _recorder.update(record=record, notes=notes, covered_until=covered_until)


def covered_until() -> dt.date | None:
    """The last day of the latest month with an approved report anywhere (one query), or None
    when no report is approved: a fact dated after it touches none. An import asks once, and
    spends nothing on its rows' dates when the answer is None or earlier than them."""
    if "covered_until" not in _recorder:
        return None
    return _recorder["covered_until"]()


def changed_on(before: dt.date | None, after: dt.date | None) -> dt.date | None:
    """The first day whose figures a changed date moves: the earlier of the old and the new
    date when they differ (a job's end moved from October back to September moves September's
    figures), else None."""
    if before == after:
        return None
    return min(d for d in (before, after) if d is not None)


@dataclass
class _Collector:
    batch: str
    recorded: bool = False


_current: ContextVar[_Collector | None] = ContextVar("late_changes", default=None)


def note(*, actor, changes: Iterable[DatedChange]) -> None:
    """Record the `changes` that touch an approved monthly report, inside the caller's
    transaction (they go if it rolls back). A change dated in the current month touches none,
    as no report covers a month before it ends: nothing is asked then. One call costs a couple
    of queries whatever the number of changes: an import calls it once, with all its rows."""
    first_open = timezone.localdate().replace(day=1)
    dated = [c for c in changes if c.on is not None and c.on < first_open]
    if not dated or "record" not in _recorder:
        return
    collector = _current.get()
    batch = collector.batch if collector is not None else uuid.uuid4().hex
    if _recorder["record"](actor=actor, changes=dated, batch=batch) and collector is not None:
        collector.recorded = True


def _take(collector: _Collector | None) -> list[str]:
    if collector is None or not collector.recorded or "notes" not in _recorder:
        return []
    collector.recorded = False
    return _recorder["notes"](batch=collector.batch)


@contextlib.contextmanager
def collected() -> Iterator[Callable[[], list[str]]]:
    """Collect what the writes inside the block record. Yields a function returning the
    messages for the user (each once: a second call returns none), to be called once the
    block's writes are committed or rolled back: only committed changes are told."""
    collector = _Collector(batch=uuid.uuid4().hex)
    token = _current.set(collector)
    try:
        yield lambda: _take(collector)
    finally:
        _current.reset(token)


def take_notes() -> list[str]:
    """The messages of the innermost block `collected()` opened (around every request, by
    `resettle.middleware.LateChangesMiddleware`), taken once: the API puts them in its answer,
    the pages in their messages."""
    return _take(_current.get())
