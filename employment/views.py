"""Pages of the labor ledger: the list, the worklists cadres open each morning, a person's labor
card with the forms that record each thing."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from employment import forms, selectors, services
from employment.excel import LEDGER
from employment.filtersets import LaborProfileFilterSet
from employment.models import Employment, LaborProfile
from households.models import REVEAL_PERMISSION, Household, Person
from industry.models import IndustryProject
from resettle import worklists
from resettle.excel import Column, export_csv
from resettle.exceptions import VersionConflict
from resettle.indicators import Area, catalogue
from resettle.masking import mask_phone
from resettle.reveal import reveal_allowed
from resettle.scoping import READ_ONLY, can_edit, scope_for
from resettle.views import FilteredListView, ledger_tools, safe_next


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


# The labor ledger's worklists, by the name in their address: (the figure whose records they
# list, what they list, the labor card's form their action opens, the policy: formatted with
# `_worklist_days()`). Their titles are their registrations' (employment.indicators).
WORKLISTS = {
    "zero-employment": (
        "zero_employment_households",
        "households",
        "match",
        _("Households with labor in which nobody holds a job (Tacheng plan §二)."),
    ),
    "job-matching": (
        "awaiting_job_match",
        "persons",
        "match",
        _(
            "Laborers who want work, hold no job and had no job match in %(match_days)d days "
            "(§四(四))."
        ),
    ),
    "follow-up": (
        "awaiting_follow_up",
        "persons",
        "visit",
        _("Employed laborers not visited in %(visit_days)d days (§四(四): at least once a year)."),
    ),
    "five-clears": (
        "five_clears_incomplete",
        "persons",
        "profile",
        _(
            "Laborers missing education, capacity, employment status, willingness or training "
            "intention (Kashgar report §四(二)5)."
        ),
    ),
    "unprofiled": (
        "unprofiled",
        "persons",
        "profile",
        _("Registered persons of working age without a labor profile (§四(一): 不漏一人)."),
    ),
}

# What each action is called on a worklist's row, by the labor card's form it opens.
ACTIONS = {
    "match": _("Record a job match"),
    "visit": _("Record a follow-up visit"),
    "profile": _("Complete the profile"),
}

PERSON_COLUMNS = [
    Column("household", "户编号"),
    Column("name", "姓名"),
    Column("head", "户主"),
    Column("site", "安置区"),
    Column("dwelling", "楼栋单元门牌"),
    Column("phone", "联系电话"),
    Column("age", "年龄"),
    Column("reason", "原因"),
    Column("last_visit", "上次回访"),
]
HOUSEHOLD_COLUMNS = [
    Column("household", "户编号"),
    Column("head", "户主"),
    Column("site", "安置区"),
    Column("dwelling", "楼栋单元门牌"),
    Column("phone", "联系电话"),
    Column("laborers", "劳动力人数"),
    Column("reason", "原因"),
    Column("last_visit", "上次回访"),
]


def _worklist_days() -> dict:
    """The numbers of days the worklists' policy texts state (settings)."""
    return {
        "match_days": settings.EMPLOYMENT_JOB_MATCH_DAYS,
        "visit_days": settings.EMPLOYMENT_FOLLOW_UP_DAYS,
    }


def _day(value) -> str:
    return value.isoformat() if value else ""


def _person_reason(name: str, person) -> str:
    """Why `person` (a row of `selectors.worklist_persons`) is on the worklist `name`, as the
    cadre reads it: "缺：文化程度、培训意向", "2025-03-31 起无工作；从未岗位对接"."""
    if name == "five-clears":
        return _("Missing: %(items)s") % {"items": "、".join(selectors.five_clears_missing(person))}
    if name == "job-matching":
        idle = (
            _("no job since %(date)s") % {"date": _day(person.last_job_end)}
            if person.last_job_end
            else _("no job on record")
        )
        matched = (
            _("last job match %(date)s") % {"date": _day(person.last_match)}
            if person.last_match
            else _("never matched to a job")
        )
        return f"{idle}；{matched}"
    if name == "follow-up":
        job = person.open_jobs[0] if person.open_jobs else None
        if job is None:
            return ""
        what = " · ".join(p for p in (job.employer, job.get_job_type_display()) if p)
        return _("in work since %(date)s: %(job)s") % {"date": _day(job.start_date), "job": what}
    return str(_("No labor profile yet."))


def _household_reason(household) -> str:
    """Why a household (a row of `selectors.worklist_households`) is on 零就业家庭."""
    count = len(household.laborers)
    laborers = ngettext(
        "%(count)d laborer, not in work", "%(count)d laborers, none in work", count
    ) % {"count": count}
    since = (
        _("no job since %(date)s") % {"date": _day(household.last_job_end)}
        if household.last_job_end
        else _("no job on record")
    )
    return f"{laborers}；{since}"


def _action_url(person_id: int, form: str, back: str) -> str:
    """The labor card of a person with the worklist's form open, returning to `back`."""
    query = urlencode({"open": form, "next": back})
    return f"{reverse('labor-card', args=[person_id])}?{query}#{form}"


@login_required
def worklist(request, name: str):
    """A worklist of the labor ledger: the records of its figure (the catalogue's, so that its
    count is the dashboard's for the same area and day), each row saying why it is there,
    whom to call (head, site, building, phone: masked unless revealed) and the form to open,
    which returns to the list. `?region=` narrows it to a region; `?format=csv` exports it."""
    if name not in WORKLISTS:
        raise Http404(_("There is no such worklist."))
    code, kind, action, rule = WORKLISTS[name]
    title = next(w.title for w in worklists.registered("labor") if w.code == code)
    today = timezone.localdate()
    area = Area(
        as_of=today,
        scope=scope_for(request.user, Household, "view"),
        region_code=request.GET.get("region") or "",
    )
    records = catalogue.records(code, area)
    if kind == "persons":
        rows = selectors.worklist_persons(
            records, today, five_clears=name == "five-clears", job=name == "follow-up"
        )
    else:
        rows = selectors.worklist_households(records, today)
    csv = request.GET.get("format") == "csv"
    reveal = not csv and reveal_allowed(
        request,
        permission=REVEAL_PERMISSION,
        model_label=Person._meta.label_lower,
        object_id="",
    )

    def phone(value: str) -> str:
        return value if reveal else mask_phone(value)

    if kind == "persons":

        def row(p):
            return {
                "household": p.household.household_no,
                "name": p.name,
                "head": p.head_name or "",
                "site": p.site.name,
                "dwelling": p.household.dwelling,
                "phone": phone(p.phone or p.household.phone),
                "age": selectors.age_on(p.birth_date, today),
                "reason": _person_reason(name, p),
                "last_visit": _day(p.last_visit),
                "record": p,
            }

        columns = PERSON_COLUMNS
    else:

        def row(h):
            return {
                "household": h.household_no,
                "head": h.head_name or "",
                "site": h.site.name,
                "dwelling": h.dwelling,
                "phone": phone(h.phone),
                "laborers": len(h.laborers),
                "reason": _household_reason(h),
                "last_visit": _day(h.last_visit),
                "record": h,
            }

        columns = HOUSEHOLD_COLUMNS
    if csv:
        table = ([row(r)[c.key] for c in columns] for r in rows.iterator(chunk_size=2000))
        response = StreamingHttpResponse(
            (c.encode("utf-8") for c in export_csv(columns, table)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{title}-{today}.csv")
        return response
    # The page's 50 rows are read from the database, and a count: not the whole list.
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    here = request.get_full_path()
    page.object_list = [row(r) for r in page.object_list]
    for item in page.object_list:
        if kind == "persons":
            item["action"] = _action_url(item["record"].pk, action, here)
        else:
            item["actions"] = [
                (p.name, _action_url(p.pk, action, here)) for p in item["record"].laborers
            ]
    return render(
        request,
        "employment/worklist.html",
        {
            "name": name,
            "title": title,
            "rule": str(rule) % _worklist_days(),
            "kind": kind,
            "action_label": ACTIONS[action],
            "may_act": not scope_for(request.user, Person, "change").is_empty,
            "page_obj": page,
            "reveal": reveal,
            "may_reveal": request.user.has_perm(REVEAL_PERMISSION),
            "worklists": [(w, w.url()) for w in worklists.registered("labor")],
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
    # A worklist's action comes with the list to return to (`next`) and the form to open.
    back = safe_next(request)
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
                return redirect(back or reverse("labor-card", args=[person.pk]))
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
            "back": back,
            "open_form": request.GET.get("open", ""),
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
    """The household page's employment summary: laborers and who works where, today, and the
    members of working age without a labor profile, each with the link to record one."""
    today = dt.date.today()
    laborers = list(
        selectors.laborers_on(today)
        .filter(household=household)
        .prefetch_related(selectors.open_main_jobs(today))
    )
    back = reverse("household-detail", args=[household.pk])
    unprofiled = [
        (person, _action_url(person.pk, "profile", back))
        for person in selectors.unprofiled(today).filter(household=household).order_by("id")
    ]
    return render_to_string(
        "employment/household_panel.html",
        {
            "laborers": laborers,
            "unprofiled": unprofiled,
            "may_edit": can_edit(request.user, household),
            "employed": sum(1 for p in laborers if p.open_jobs),
            "zero_employment": selectors.zero_employment_households(today)
            .filter(pk=household.pk)
            .exists(),
        },
        request=request,
    )
