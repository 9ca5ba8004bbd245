import datetime as dt
import io
import re

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from governance import drill, selectors, services
from governance.dashboard import LIVE, home_of, visible_region, visible_site
from governance.latechanges import later_changes, month_label, reopen_chain
from governance.models import DispatchReport, ReportEvent, ReportStatus
from governance.selectors import indicator_values, live_figures
from governance.services import to_do
from governance.workbook import build, preview
from households.models import Household, Region
from monitoring.selectors import visit_due
from resettle import worklists
from resettle.excel import XLSX_CONTENT_TYPE
from resettle.exceptions import VersionConflict
from resettle.indicators import catalogue, shown
from resettle.periods import is_period, last_ended
from resettle.scoping import LEVEL_LENGTHS, Scope, get_for, permits

# The overview's table.
HOME_CODES = ["sites", "households", "persons", "property_certificate_rate", "hukou_transfer_rate"]


@login_required
def home(request):
    """The user's scope and its registry figures as of today: for an area the user holds
    whole, the region's and its children's; for part of one (a site operator's sites), those
    sites' own, never under the region's name. Each count opens its records."""
    scope = Scope.for_user(request.user)
    home = scope.home_region()
    if home is not None:
        regions = list(Region.objects.filter(code=home))
    else:
        # Superusers, and users whose memberships span provinces: one table per province.
        regions = list(Region.objects.visible_to(request.user).filter(level="province"))
    today = dt.date.today()
    summaries = []
    for region in regions:
        links = drill.may_open_records(request.user, region=region.code)
        # The whole area: the dashboards' live figures.
        if permits(request.user, Region, "figures", region_code=region.code):
            figures = live_figures(region.code, ("region", "children"))
            as_of = figures["as_of"]
            rows = [
                {
                    **row,
                    "counts": _counts(row["values"], _home_links(links, as_of, region=row["code"])),
                }
                for row in figures["children"]
            ]
            summaries.append(
                {
                    "name": region.name,
                    "rows": rows,
                    "total": figures["region"].get("values", {}),
                    "total_counts": _counts(
                        figures["region"].get("values"),
                        _home_links(links, as_of, region=region.code),
                    ),
                    "computed_at": figures["computed_at"],
                    "stale": figures["stale"],
                    "as_of": as_of,
                }
            )
        else:  # part of it: the user's own sites, each under its own name
            links = drill.may_open_records(request.user)
            sites = indicator_values(
                scope=scope, region=region, as_of=today, by="site", codes=HOME_CODES
            )
            total = indicator_values(scope=scope, region=region, as_of=today, codes=HOME_CODES)[
                "values"
            ]
            summaries.append(
                {
                    "name": _("Your settlement sites"),
                    "rows_label": _("Settlement site"),
                    "rows": [
                        {
                            **row,
                            "counts": _counts(
                                row["values"], _home_links(links, today, site=row["id"])
                            ),
                        }
                        for row in sites["rows"]
                    ],
                    "total": total if len(sites["rows"]) > 1 else None,
                    "total_counts": _counts(total, {}),
                    "as_of": today,
                }
            )
    counts = selectors.worklist_counts(request.user, compute=True)
    overdue = list(selectors.overdue_visits(request.user, today)[:HOME_OVERDUE_SHOWN])
    for case in overdue:
        case.visit_due = visit_due(case.opened_on)
    late = selectors.late_reports(request.user, today)
    for report in late:
        report.due = DispatchReport.due_on(report.period)
    return render(
        request,
        "governance/home.html",
        {
            "memberships": request.user.memberships.select_related("region", "site"),
            "to_do": to_do(request.user),
            "summaries": summaries,
            "indicators": catalogue.all(),
            "as_of": today,
            "worklists": _worklist_rows(counts),
            "worklists_counted": counts,
            "late_reports": late[:HOME_LATE_SHOWN],
            "late_count": len(late),
            "overdue_visits": overdue,
            "overdue_url": worklists.url_of("overdue_verifications"),
        },
    )


# The overdue home visits and late reports the overview names; the rest are on the case list
# and on 月调度.
HOME_OVERDUE_SHOWN = 10
HOME_LATE_SHOWN = 20


def _worklist_rows(counts: dict | None) -> list[dict]:
    """The overview's worklists: each with its title, address and count (None for a user who
    reads no records)."""
    if counts is None:
        return []
    return [
        {"title": w.title, "url": w.url(), "count": counts["counts"].get(w.code, 0), "code": w.code}
        for w in worklists.registered()
    ]


# The overview's counts, in the table's order.
HOME_COUNTS = ("sites", "households", "persons")


def month_refused(request):
    """The 400 page of a `period` that is no month (abc, 2026-13)."""
    return render(
        request,
        "bad_request.html",
        {"message": _("Write the month as YYYY-MM, e.g. 2026-10.")},
        status=400,
    )


def _home_links(links: bool, as_of, **where) -> dict:
    """The overview's counts' drill-through addresses ({} for who reads figures only)."""
    if not links:
        return {}
    return {code: drill.records_url(code, as_of=as_of, **where) for code in HOME_COUNTS}


def _counts(values: dict | None, urls: dict) -> list[tuple]:
    """The overview's cells of a row, in HOME_CODES' order, as (the figure as printed
    elsewhere, its records' address or None): counts open their records, rates nothing."""
    values = values or {}
    return [
        (shown(catalogue.get(code).kind, values.get(code, 0)), urls.get(code))
        for code in HOME_CODES
    ]


def workbook_response(report):
    """The report's workbook as a download named after the region and month."""
    year, month = report.period.split("-")
    name = f"{report.region.name}月调度表{year}年{int(month)}月.xlsx"
    return FileResponse(
        io.BytesIO(build(report)), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
    )


@login_required
def reports(request):
    """The monthly reports of the user's area: periods × regions with their status."""
    if request.method == "POST":  # ask for a report, made by a task; its page follows it
        region = Region.objects.filter(code=request.POST.get("region", "")).first()
        try:
            if region is None:
                raise ValidationError(_("Choose the county or prefecture of the report."))
            report = services.report_request(
                actor=request.user, period=request.POST.get("period", "").strip(), region=region
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            return redirect("report-detail", pk=report.pk)
        return redirect("reports")
    period = request.GET.get("period") or ""
    if period and not is_period(period):
        return month_refused(request)
    rows = (
        DispatchReport.objects.visible_to(request.user)
        .select_related("region", "approved_by")
        .defer("values")  # the list needs none of the figures
    )
    if period:
        rows = rows.filter(period=period)
    periods = (
        DispatchReport.objects.visible_to(request.user)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    status = request.GET.get("status") or ""
    board = None
    if period:
        board = selectors.board(rows, period)
    if status:
        rows = rows.filter(status=status)
    shown = list(rows.order_by("-period", "region_id")[:500])
    submitted = {}
    for event in (
        ReportEvent.objects.filter(report__in=shown, action=ReportEvent.Action.SUBMITTED)
        .select_related("by")
        .order_by("at", "id")
    ):
        submitted[event.report_id] = event  # the latest submission
    for report in shown:
        report.submitted_event = submitted.get(report.pk)
    return render(
        request,
        "governance/reports.html",
        {
            "reports": shown,
            "periods": list(periods)[:24],
            "period": period,
            "status": status,
            "statuses": DispatchReport._meta.get_field("status").choices,
            "board": board,
            "to_do": to_do(request.user),
            "may_generate": services.regions_to_generate(request.user),
            "last_period": last_ended(),
        },
    )


@login_required
def report_detail(request, pk: int):
    """A report: the 汇总 sheet as a table, its steps, and the actions the user's role allows."""
    report = get_for(
        request.user, DispatchReport.objects.select_related("region", "approved_by"), pk=pk
    )
    if request.GET.get("download"):
        return workbook_response(report)
    county = len(report.region_id) == LEVEL_LENGTHS["county"]
    may_submit = county and permits(
        request.user, DispatchReport, "submit", region_code=report.region_id
    )
    may_review = permits(request.user, DispatchReport, "review", region_code=report.region_id)
    if request.method == "POST":
        action = request.POST.get("action")
        version = request.POST.get("version", "")
        # A version that is no number is an old page's: refused as a conflict, never a 500.
        version = int(version) if version.isdigit() else 0
        try:
            if action == "submit":
                services.report_submit(actor=request.user, report=report, version=version)
            elif action == "approve":
                services.report_approve(actor=request.user, report=report, version=version)
            elif action == "return":
                services.report_return(
                    actor=request.user,
                    report=report,
                    version=version,
                    reason=request.POST.get("reason", ""),
                )
            elif action == "generate":
                if not (may_submit or may_review):
                    raise PermissionDenied
                services.report_request(
                    actor=request.user, period=report.period, region=report.region
                )
            else:
                raise PermissionDenied
        except (ValidationError, VersionConflict) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        except PermissionDenied as exc:
            messages.error(
                request, str(exc) or _("Your role may not take this step on this report.")
            )
        else:
            messages.success(request, _step_done(action, report))
        return redirect("report-detail", pk=report.pk)
    columns, rows, total, notes = (
        preview(report, link=_records_link(request.user, report))
        if report.values
        else ([], [], [], [])
    )
    return render(
        request,
        "governance/report_detail.html",
        {
            "report": report,
            "columns": columns,
            "rows": rows,
            "total": total,
            "notes": notes,
            "events": report.events.select_related("by"),
            "may_submit": may_submit,
            "may_review": may_review,
            "confirm": _step_confirmations(report),
            **_later_changes(request.user, report),
        },
    )


def _step_done(action: str, report: DispatchReport) -> str:
    """What a report step did, said after it (`report` as it was before the step)."""
    names = {"region": report.region.name, "period": report.period}
    if action == "return" and report.is_approved:
        return (
            _(
                "Un-approved: the report of %(region)s for %(period)s is unlocked and goes back, "
                "with your reason, to be corrected and submitted again."
            )
            % names
        )
    return {
        "submit": _("Submitted: the prefecture reviews it now."),
        "approve": _("Approved: the report is locked."),
        "return": _("Returned, with your reason, to %(region)s.") % names,
        "generate": _("The report is being made; this page follows it."),
    }[action]


def _step_confirmations(report: DispatchReport) -> dict[str, str]:
    """What each step of a report's page will do, asked before it is taken (issue 18, item
    4): {"submit" | "approve" | "return" | "unapprove" | "generate": question}."""
    names = {"region": report.region.name, "period": report.period}
    return {
        "submit": _(
            "Submit the report of %(region)s for %(period)s? Once submitted it is locked: the "
            "prefecture approves it or returns it, and until then it cannot be changed or made "
            "again."
        )
        % names,
        "approve": _(
            "Approve the report of %(region)s for %(period)s? It is locked, and its figures "
            "count in the report above it."
        )
        % names,
        "return": _(
            "Return the report of %(region)s for %(period)s with your reason? %(region)s may "
            "then correct it, make it again and submit it again."
        )
        % names,
        "unapprove": _(
            "Un-approve the report of %(region)s for %(period)s? It is unlocked and goes back, "
            "with your reason, to be corrected and made again; a report above it that holds its "
            "figures must be made again too."
        )
        % names,
        "generate": _(
            "Make the report of %(region)s for %(period)s again from the ledgers as they are "
            "now? Its figures are replaced."
        )
        % names,
    }


# Later changes listed on a report's page; the count covers them all.
LATER_CHANGES_SHOWN = 100


def _later_changes(user, report) -> dict:
    """The changes entered since `report` was made that move its figures (issue 15, item 8):
    how many, and the latest of them as a reviewer reads them: what, dated when, in which
    record, entered by whom and when. A record is named by its household's number only to who
    may see the household; nothing else of a person is shown."""
    if not report.values:
        return {"later_count": 0, "later": []}
    changes = later_changes(report)
    count = changes.count()
    shown = list(changes.select_related("by", "county")[:LATER_CHANGES_SHOWN]) if count else []
    visible = set(
        Household.objects.visible_to(user)
        .filter(pk__in={c.household_id for c in shown if c.household_id})
        .values_list("pk", flat=True)
    )
    for change in shown:
        try:
            change.kind = apps.get_model(change.model)._meta.verbose_name
        except LookupError:  # a kind of record since removed from the code
            change.kind = change.model
        change.what_shown = _(change.what)
        change.visible = change.household_id is None or change.household_id in visible
    return {"later_count": count, "later": shown}


@login_required
def report_reopen(request, pk: int):
    """Return an approved report that later changes touched, with a reason, and make it again
    (issue 15, item 8): GET asks to confirm, naming the reports returned with it; POST does it.
    Only a reviewer of the report; out of scope 404."""
    report = get_object_or_404(
        DispatchReport.objects.visible_to(request.user).select_related("region").defer("values"),
        pk=pk,
    )
    if not permits(request.user, DispatchReport, "review", region_code=report.region_id):
        raise PermissionDenied(_("The prefecture's reviewers return reports."))
    error = ""
    if request.method == "POST":
        try:
            version = request.POST.get("version", "")
            returned = services.report_reopen(
                actor=request.user,
                report=report,
                version=int(version) if version.isdigit() else 0,
                reason=request.POST.get("reason", ""),
            )
        except (ValidationError, VersionConflict) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("Returned and being made again with the later changes: %(reports)s.")
                % {
                    "reports": "、".join(
                        f"{r.region.name} {month_label(r.period)}" for r in returned
                    )
                },
            )
            return redirect("report-detail", pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        messages.error(request, _("Only an approved report is returned to be made again."))
        return redirect("report-detail", pk=report.pk)
    return render(
        request,
        "governance/report_reopen.html",
        {
            "report": report,
            "chain": reopen_chain(report),
            "later_count": later_changes(report).count(),
            "reason": request.POST.get("reason", ""),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def dashboard_home(request):
    """The dashboard opens on the user's own scope."""
    home = home_of(request.user)
    if home is None:
        raise Http404(_("Your account has no region or site to show."))
    kind, key = home
    response = redirect("dashboard-site" if kind == "site" else "dashboard-region", key)
    if request.GET.get("period"):  # the month asked for is kept
        response["Location"] += "?" + request.GET.urlencode()
    return response


@login_required
def dashboard_region(request, code: str):

    region = visible_region(request.user, code)
    return _dashboard_page(request, region.name, f"/api/v1/dashboard/regions/{code}/")


@login_required
def dashboard_site(request, pk: int):

    site = visible_site(request.user, pk)
    return _dashboard_page(request, site.name, f"/api/v1/dashboard/sites/{pk}/")


def _dashboard_page(request, name: str, api: str):
    """The page is a frame: its script reads the JSON at `api` and draws it. A `period` that is
    no month is refused here, in words, rather than by the JSON its script would show."""
    period = request.GET.get("period") or LIVE
    if period != LIVE and not is_period(period):
        return month_refused(request)
    return render(
        request, "governance/dashboard.html", {"name": name, "api": api, "period": period}
    )


def _records_link(user, report):
    """The drill-through of a report's figures for `user`: None for who reads figures only."""
    if not drill.may_open_records(user, region=report.region_id):
        return None

    def link(code: str, key: tuple) -> str | None:
        if not drill.opens_records(code):
            return None
        kind, value = key
        return drill.records_url(
            code,
            as_of=report.as_of,
            site=value if kind == "site" else None,
            region=value if kind == "region" else None,
            report=report.pk,
        )

    return link


@login_required
def figure_records(request, code: str):
    """The records a figure counts (drill-through, governance.drill): as of the date asked, in
    the region or site asked, within what the user may read; the total is the figure."""
    try:
        asked = drill.asked(request.user, code, request.GET)
    except drill.BadQuery as exc:
        return render(request, "governance/figure_records.html", {"error": str(exc)}, status=400)
    records = catalogue.records(code, asked.area)
    # Listed: those the user may read. A figure can count records living outside the user's
    # area (a site's workshop employs people of other sites): counted, not shown. Both
    # counted in one pass over the records.
    listed = records.visible_to(request.user)
    counts = records.aggregate(
        all=Count("pk"), listed=Count("pk", filter=Q(pk__in=listed.values("pk")))
    )
    count = counts["listed"]
    if asked.indicator.records_sum:
        total, hidden = catalogue.records_total(asked.indicator, records), 0
    else:
        total = counts["all"]
        hidden = total - count
    headers, rows, cells = drill.table(asked, listed)
    paginator = Paginator(rows, 50)
    paginator.count = count  # counted once above
    page = paginator.get_page(request.GET.get("page"))
    computed = request.GET.get("computed") or ""
    reported = None
    report_id = request.GET.get("report") or ""
    if report_id.isdigit():
        report = DispatchReport.objects.visible_to(request.user).filter(pk=int(report_id)).first()
        if report is not None and report.values and report.as_of == asked.area.as_of:
            value = _reported(report, asked)
            reported = {"report": report, "value": value} if value is not None else None
    return render(
        request,
        "governance/figure_records.html",
        {
            "asked": asked,
            "indicator": asked.indicator,
            "total": total,
            "total_label": shown("count", total),
            "hidden": hidden,
            # When the live figure linked from was computed: later changes are in the list.
            "computed": computed if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", computed) else "",
            "headers": headers,
            "page_obj": page,
            "rows": [cells(record) for record in page],
            "reported": reported,
        },
    )


def _reported(report, asked) -> object:
    """The figure of `asked` as `report` froze it (None where the report has no such row)."""
    values = None
    if asked.area.site_id is not None:
        row = next(
            (s for s in report.values.get("sites", []) if s["id"] == asked.area.site_id), None
        )
        values = row["values"] if row else None
    elif asked.area.region_code == report.region_id:
        values = report.values["region"]["values"]
    else:
        row = next(
            (c for c in report.values.get("children", []) if c["code"] == asked.area.region_code),
            None,
        )
        values = row["values"] if row else None
    if values is None:
        return None
    value = values.get(asked.indicator.code)
    if asked.area.category:
        value = (value or {}).get(asked.area.category)
    return value
