"""Pages of monitoring: the alert inbox, the case list, a case's page with its steps, measures and
income checks, and the household page's monitoring panel with its forms."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from households.models import Household
from households.selectors import with_head
from monitoring import forms, selectors, services
from monitoring.choices import Status
from monitoring.filtersets import AlertFilterSet, MonitoringCaseFilterSet
from monitoring.models import Alert, IncomeCheck, MonitoringCase
from resettle.exceptions import VersionConflict
from resettle.scoping import READ_ONLY, can_edit, get_for
from resettle.views import FilteredListView, attach_errors, posted_id, safe_next


class AlertListView(FilteredListView):
    """The alert inbox: newest first, by rule, the reason in words."""

    queryset = Alert.objects.select_related("household__site", "case").order_by("-raised_on", "-id")
    filterset_class = AlertFilterSet
    template_name = "monitoring/alert_list.html"

    def get_queryset(self):
        queryset = with_head(super().get_queryset(), "household_id")
        if "open" not in self.request.GET:  # the inbox opens on what still needs an answer
            queryset = queryset.filter(closed_on__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["page_obj"])
        open_cases = dict(
            MonitoringCase.objects.filter(
                household_id__in={a.household_id for a in page}, closed_on__isnull=True
            ).values_list("household_id", "id")
        )
        # Which of the page's alerts the user may answer: one query for the page.
        editable = set(
            Alert.objects.editable_by(self.request.user)
            .filter(pk__in=[a.pk for a in page])
            .values_list("pk", flat=True)
        )
        for alert in page:
            alert.may_edit = alert.pk in editable
            alert.open_case = open_cases.get(alert.household_id)
        context["dismiss_form"] = forms.DismissForm()
        return context


@login_required
@require_POST
def alert_dismiss(request, pk: int):
    alert = get_for(request.user, Alert.objects, "change", pk=pk)
    form = forms.DismissForm(request.POST)
    if form.is_valid():
        try:
            services.alert_dismiss(
                actor=request.user, alert=alert, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The alert is dismissed."))
    else:
        messages.error(request, _("Say why the alert is dismissed."))
    return redirect(safe_next(request, reverse("alert-list")))


class CaseListView(FilteredListView):
    """Monitoring cases, with filters by category, risk type, step and overdue home visit."""

    queryset = MonitoringCase.objects.select_related("household__site").order_by(
        "-opened_on", "-id"
    )
    filterset_class = MonitoringCaseFilterSet
    template_name = "monitoring/case_list.html"

    def get_queryset(self):
        # The overdue flag is the rule the filter and the indicator use (selectors.overdue_on).
        return with_head(super().get_queryset(), "household_id").annotate(
            overdue=ExpressionWrapper(
                selectors.overdue_on(dt.date.today()), output_field=BooleanField()
            )
        )


@login_required
def case_open(request, household: int):
    """Open a case at 预警 for a household, from its open alerts or as declared or found."""
    household = get_for(request.user, Household.objects, "change", pk=household)
    alerts = list(
        Alert.objects.filter(household=household, closed_on__isnull=True, case__isnull=True)
    )
    initial = {"found_through": "screening" if alerts else "cadre"}
    form = forms.CaseOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=request.user, household=household, data=form.cleaned_data, alerts=alerts
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("The case is opened; the home visit is due by %(date)s.")
                % {"date": selectors.visit_due(case.opened_on).isoformat()},
            )
            return redirect("case-detail", pk=case.pk)
    return render(
        request,
        "monitoring/case_open.html",
        {"household": household, "alerts": alerts, "form": form},
    )


@login_required
def case_detail(request, pk: int):
    """A case: its steps on a timeline, the next step's form, measures and income checks."""
    case = get_object_or_404(
        MonitoringCase.objects.visible_to(request.user).select_related("household__site"), pk=pk
    )
    may_edit = can_edit(request.user, case)
    steps = services.NEXT.get(case.status, ())
    transition = forms.TransitionForm(steps=steps, initial={"version": case.version})
    measure = forms.MeasureForm(initial={"start_date": dt.date.today()})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(READ_ONLY)
        if request.POST.get("form") == "end-measure":
            ended = get_object_or_404(case.measures, pk=posted_id(request, "measure"))
            try:
                end_date = dt.date.fromisoformat(request.POST.get("end_date", ""))
                services.measure_end(actor=request.user, measure=ended, end_date=end_date)
            except ValueError:
                messages.error(request, _("Give the day the measure ended."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
            return redirect("case-detail", pk=case.pk)
        if request.POST.get("form") == "measure":
            measure = forms.MeasureForm(request.POST)
            if measure.is_valid():
                try:
                    services.measure_add(actor=request.user, case=case, data=measure.cleaned_data)
                except (ValidationError, VersionConflict) as exc:
                    attach_errors(measure, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("case-detail", pk=case.pk)
        else:
            transition = forms.TransitionForm(request.POST, steps=steps)
            if transition.is_valid():
                data = transition.cleaned_data
                try:
                    moved = services.case_transition(
                        actor=request.user,
                        case=case,
                        to=data["to"],
                        on=data["on"],
                        reason=data["reason"],
                        evidence={
                            "basic_needs": data["basic_needs"],
                            "drinking_water": data["drinking_water"],
                        },
                        version=data["version"],
                    )
                except (ValidationError, VersionConflict) as exc:
                    attach_errors(transition, exc)
                else:
                    if getattr(moved, "proposal_recorded", False):
                        messages.info(
                            request,
                            _(
                                "Deciding this takes a county cadre: your proposal is recorded for the county."
                            ),
                        )
                    else:
                        messages.success(
                            request,
                            _("The case moved to %(status)s.")
                            % {"status": moved.get_status_display()},
                        )
                    return redirect("case-detail", pk=case.pk)
    today = dt.date.today()
    return render(
        request,
        "monitoring/case_detail.html",
        {
            "case": case,
            "may_edit": may_edit,
            "may_decide": services.may_decide(request.user, case),
            "events": case.events.select_related("by").order_by("on", "id"),
            "measures": case.measures.order_by("-start_date"),
            "checks": _checks_with_lines(case.household),
            "alerts": case.alerts.all(),
            "transition": transition if steps else None,
            "measure_form": measure
            if case.status in (Status.MONITORED, Status.ASSISTING)
            else None,
            "visit_due": selectors.visit_due(case.opened_on),
            "overdue": MonitoringCase.objects.filter(pk=case.pk)
            .filter(selectors.overdue_on(today))
            .exists(),
        },
    )


def _checks_with_lines(household):
    known = selectors.lines()
    checks = list(
        IncomeCheck.objects.filter(household=household).order_by("-checked_on", "-id")[:20]
    )
    for check in checks:
        check.line = selectors.line_for(check.year, household.site.region_code, known)
        check.below = check.line is not None and check.per_capita_net < check.line
    return checks


HOUSEHOLD_FORMS = {"check": forms.IncomeCheckForm, "incident": forms.IncidentForm}


@login_required
@require_POST
def household_record(request, household: int):
    """An income check or an incident, from the household page's monitoring panel."""
    household = get_for(request.user, Household.objects, "change", pk=household)
    which = request.POST.get("form")
    if which not in HOUSEHOLD_FORMS:
        raise PermissionDenied(_("There is no such form."))
    form = HOUSEHOLD_FORMS[which](request.POST)
    if form.is_valid():
        try:
            if which == "check":
                services.income_check_record(
                    actor=request.user, household=household, data=form.cleaned_data
                )
            else:
                services.incident_record(
                    actor=request.user, household=household, data=form.cleaned_data
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[n].label if n in form.fields else ''}: {' '.join(e)}"
                for n, e in form.errors.items()
            ),
        )
    return redirect("household-detail", pk=household.pk)


def household_panel(request, household: Household) -> str:
    """The household page's monitoring status: its case, open alerts, latest income checks, its
    disasters and accidents, and forms to record a check or an incident."""
    case = MonitoringCase.objects.filter(household=household).order_by("-opened_on", "-id").first()
    checks = _checks_with_lines(household)[:3]
    return render_to_string(
        "monitoring/household_panel.html",
        {
            "household": household,
            "case": case,
            "alerts": Alert.objects.filter(household=household, closed_on__isnull=True),
            "checks": checks,
            "incidents": household.incidents.select_related("by"),
            "may_edit": can_edit(request.user, household),
            "check_form": forms.IncomeCheckForm(
                initial={
                    "year": dt.date.today().year,
                    "checked_on": dt.date.today(),
                    "household_size": household.members.filter(status="active").count() or None,
                }
            ),
            "incident_form": forms.IncidentForm(initial={"occurred_on": dt.date.today()}),
        },
        request=request,
    )
