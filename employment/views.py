"""Pages of the labor ledger: the list, the worklists cadres open each morning, a person's labor
card with the forms that record each thing."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import FilteredRelation, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from employment import forms, selectors, services
from employment.excel import LEDGER
from employment.filtersets import LaborProfileFilterSet
from employment.models import Employment, LaborProfile
from households.models import Household, Person
from industry.models import IndustryProject
from resettle.excel import Column, export_csv
from resettle.exceptions import VersionConflict
from resettle.scoping import READ_ONLY, can_edit
from resettle.views import FilteredListView, ledger_tools


class LaborListView(FilteredListView):
    """The labor ledger (就业台账): every laborer with a profile and their current job."""

    queryset = LaborProfile.objects.select_related("person__household", "person__site").order_by(
        "person__household__household_no", "person_id"
    )
    filterset_class = LaborProfileFilterSet
    template_name = "employment/labor_list.html"

    def get_queryset(self):
        # The job of today, as the filters and the `employed` figure read it.
        today = timezone.localdate()
        return super().get_queryset().prefetch_related(selectors.open_main_jobs(today, "person__"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**ledger_tools(self.request.user, LEDGER), **kwargs)


# name: (title, selector, what it lists, policy: formatted with `_worklist_days()`)
WORKLISTS = {
    "zero-employment": (
        _("Zero-employment households"),
        selectors.zero_employment_households,
        "households",
        _("Households with labor in which nobody holds a job (Tacheng plan §二)."),
    ),
    "job-matching": (
        _("Awaiting a job match"),
        selectors.awaiting_job_match,
        "persons",
        _(
            "Laborers who want work, hold no job and had no job match in %(match_days)d days "
            "(§四(四))."
        ),
    ),
    "follow-up": (
        _("Awaiting a follow-up visit"),
        selectors.awaiting_follow_up,
        "persons",
        _("Employed laborers not visited in %(visit_days)d days (§四(四): at least once a year)."),
    ),
    "five-clears": (
        _("Five clears incomplete"),
        selectors.five_clears_incomplete,
        "persons",
        _(
            "Laborers missing education, capacity, employment status, willingness or training "
            "intention (Kashgar report §四(二)5)."
        ),
    ),
    "unprofiled": (
        _("No labor profile"),
        selectors.unprofiled,
        "persons",
        _("Registered persons of working age without a labor profile (§四(一): 不漏一人)."),
    ),
}

PERSON_COLUMNS = [
    Column("household", "户编号"),
    Column("name", "姓名"),
    Column("site", "安置区"),
    Column("age", "年龄"),
]
HOUSEHOLD_COLUMNS = [
    Column("household", "户编号"),
    Column("site", "安置区"),
    Column("head", "户主"),
]


def _worklist_days() -> dict:
    """The numbers of days the worklists' policy texts state (settings)."""
    return {
        "match_days": settings.EMPLOYMENT_JOB_MATCH_DAYS,
        "visit_days": settings.EMPLOYMENT_FOLLOW_UP_DAYS,
    }


@login_required
def worklist(request, name: str):
    if name not in WORKLISTS:
        raise Http404(_("There is no such worklist."))
    title, select, kind, rule = WORKLISTS[name]
    today = dt.date.today()
    rows = select(today).visible_to(request.user, region=request.GET.get("region"))
    if kind == "persons":
        rows = rows.select_related("household", "site").order_by("household__household_no", "id")

        def row(p):
            return [
                p.household.household_no,
                p.name,
                p.site.name,
                selectors.age_on(p.birth_date, today),
                p,
            ]

        columns = PERSON_COLUMNS
    else:
        rows = (
            rows.select_related("site")
            .annotate(
                head=FilteredRelation(
                    "members", condition=Q(members__relation="head", members__status="active")
                )
            )
            .values_list("household_no", "site__name", "head__name", "pk")
            .order_by("household_no")
        )

        def row(values):
            no, site, head, pk = values
            return [no, site, head or "", pk]

        columns = HOUSEHOLD_COLUMNS
    if request.GET.get("format") == "csv":
        table = (row(r)[: len(columns)] for r in rows.iterator(chunk_size=2000))
        response = StreamingHttpResponse(
            (c.encode("utf-8") for c in export_csv(columns, table)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{title}-{today}.csv")
        return response
    # The page's 50 rows are read from the database, and a count: not the whole list.
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = [row(r) for r in page.object_list]
    return render(
        request,
        "employment/worklist.html",
        {
            "name": name,
            "title": title,
            "rule": str(rule) % _worklist_days(),
            "kind": kind,
            "page_obj": page,
            "worklists": [(key, value[0]) for key, value in WORKLISTS.items()],
        },
    )


FORMS = {
    "profile": forms.LaborProfileForm,
    "spell": forms.EmploymentForm,
    "end": forms.EndEmploymentForm,
    "training": forms.TrainingForm,
    "match": forms.JobMatchForm,
    "visit": forms.FollowUpVisitForm,
}


@login_required
def labor_card(request, pk: int):
    """A person's labor card: profile, a timeline of jobs, trainings, matches and visits, and the
    forms to record each."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("household", "site"), pk=pk
    )
    profile = LaborProfile.objects.filter(person=person).first()
    may_edit = can_edit(request.user, person)
    bound = {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(READ_ONLY)
        which = request.POST.get("form")
        if which not in FORMS:
            raise Http404(_("There is no such form."))
        form = (
            FORMS[which](request.POST, instance=profile)
            if which == "profile"
            else FORMS[which](request.POST)
        )
        _narrow_projects(form, person)
        if form.is_valid():
            try:
                _record(which, form, person=person, profile=profile, actor=request.user)
            except (ValidationError, VersionConflict) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Saved."))
                return redirect("labor-card", pk=person.pk)
        bound[which] = form
    empty = {
        name: cls(instance=profile, initial={"version": profile.version} if profile else {})
        if name == "profile"
        else cls()
        for name, cls in FORMS.items()
        if name != "end"
    }
    for form in empty.values():
        _narrow_projects(form, person)
    timeline = sorted(
        [("job", j.start_date, j) for j in person.employments.all()]
        + [("training", t.end_date, t) for t in person.trainings.all()]
        + [("match", m.matched_on, m) for m in person.job_matches.all()]
        + [("visit", v.visited_on, v) for v in person.follow_up_visits.all()],
        key=lambda item: item[1],
        reverse=True,
    )
    return render(
        request,
        "employment/labor_card.html",
        {
            "person": person,
            "profile": profile,
            "may_edit": may_edit,
            "forms": {**empty, **bound},
            "end_error": bound.get("end"),
            "timeline": timeline,
        },
    )


def _narrow_projects(form, person) -> None:
    """A job's project is one of the person's county."""
    if "project" in form.fields:
        form.fields["project"].queryset = IndustryProject.objects.filter(
            county_id=person.site.county_id
        )


def _record(which: str, form, *, person, profile, actor) -> None:
    data = dict(form.cleaned_data)
    if which == "profile":
        version = data.pop("version", None)
        services.labor_profile_save(actor=actor, person=person, data=data, version=version)
    elif which == "spell":
        services.employment_open(actor=actor, person=person, data=data)
    elif which == "end":
        spell = get_object_or_404(Employment, pk=data["spell"], person=person)
        services.employment_close(
            actor=actor, spell=spell, end_date=data["end_date"], version=data["version"]
        )
    elif which == "training":
        services.training_record(actor=actor, person=person, data=data)
    elif which == "match":
        services.job_match_record(actor=actor, person=person, data=data)
    else:
        services.follow_up_record(actor=actor, person=person, data=data)


def household_panel(request, household: Household) -> str:
    """The household page's employment summary: laborers and who works where, today."""
    today = dt.date.today()
    laborers = list(
        selectors.laborers_on(today)
        .filter(household=household)
        .prefetch_related(selectors.open_main_jobs(today))
    )
    return render_to_string(
        "employment/household_panel.html",
        {
            "laborers": laborers,
            "employed": sum(1 for p in laborers if p.open_jobs),
            "zero_employment": selectors.zero_employment_households(today)
            .filter(pk=household.pk)
            .exists(),
        },
        request=request,
    )
