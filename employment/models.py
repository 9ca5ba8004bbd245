"""The labor ledger (就业台账, Tacheng plan seeds/001 §四(一)): every relocated laborer's profile,
employment spells, trainings, job matches and follow-up visits. Employment on a date is the
spells open on that date, so every figure holds as of any day."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from employment import choices
from households.models import Person
from resettle.models import RecordedBy, TimeStampedModel, VersionedModel, running_on
from resettle.scoping import LEDGER_READERS, LEDGER_WRITERS, ScopedQuerySet


class PersonRecord(models.Model):
    """A record about one household member, scoped by the member's site."""

    scope_region_field = "person__site__region_code"
    scope_site_field = "person__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class LaborProfile(PersonRecord, VersionedModel):
    """What a person of working age can and wants to do (五清: 劳动能力清、就业意愿清、培训意向清).
    One per person."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="labor_profile", verbose_name=_("person")
    )
    capacity = models.CharField(
        _("labor capacity"), max_length=16, choices=choices.Capacity.choices
    )
    skill = models.CharField(
        _("skill level"), max_length=16, choices=choices.Skill.choices, blank=True
    )
    language = models.CharField(
        _("national language level"),
        max_length=16,
        choices=choices.LanguageLevel.choices,
        blank=True,
    )
    willingness = models.CharField(
        _("willingness to work"), max_length=16, choices=choices.Willingness.choices, blank=True
    )
    training_intention = models.CharField(
        _("training intention"),
        max_length=16,
        choices=choices.TrainingIntention.choices,
        blank=True,
    )
    service_needs = models.CharField(_("service needs"), max_length=200, blank=True)
    recorded_on = models.DateField(_("recorded on"), default=dt.date.today)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("labor profile")
        verbose_name_plural = _("labor profiles")

    def __str__(self):
        return f"{self.person} · {self.get_capacity_display()}"

    @property
    def is_laborer(self) -> bool:
        return self.capacity in choices.LABOR_CAPACITIES

    @property
    def wants_work(self) -> bool:
        return self.is_laborer and self.willingness not in ("", choices.Willingness.NONE)


class Employment(PersonRecord, VersionedModel):
    """An employment spell (就业): open while `end_date` is empty. A person holds at most one open
    main job; side jobs are recorded with `is_main` off."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="employments", verbose_name=_("person")
    )
    channel = models.CharField(_("channel"), max_length=24, choices=choices.Channel.choices)
    job_type = models.CharField(_("job type"), max_length=24, choices=choices.JobType.choices)
    place = models.CharField(_("place of work"), max_length=16, choices=choices.Place.choices)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    industry = models.CharField(
        _("industry (GB/T 4754)"), max_length=1, choices=choices.Industry.choices, blank=True
    )
    monthly_income = models.DecimalField(
        _("monthly income (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Blank when not known (issue 14: a blank is never a default).
    organised = models.BooleanField(_("organised placement"), null=True, blank=True)
    is_main = models.BooleanField(_("main job"), default=True)
    # The industry project the job is in, if any (a workshop's jobs held by relocated laborers
    # are counted from these).
    project = models.ForeignKey(
        "industry.IndustryProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employments",
        verbose_name=_("industry project"),
    )

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["person_id", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True, is_main=True),
                name="employment_one_open_main_job",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"{self.person} · {self.get_job_type_display()} · {self.start_date}"


def employed_on(as_of: dt.date, prefix: str = "") -> Q:
    """Spells open on `as_of`; `prefix` is the path to the spell, e.g. "employments__"."""
    return running_on(as_of, prefix)


class Unemployment(PersonRecord, TimeStampedModel):
    """Unemployment registration (失业登记): opened when a willing laborer's spell ends, closed
    when they work again (Tacheng plan §四(四): 就业转失业的，要及时办理失业登记)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="unemployments", verbose_name=_("person")
    )
    registered_on = models.DateField(_("registered on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    ended_spell = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended employment"),
    )

    class Meta:
        verbose_name = _("unemployment registration")
        verbose_name_plural = _("unemployment registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(closed_on__isnull=True),
                name="unemployment_one_open",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.registered_on}"


class Training(PersonRecord, TimeStampedModel):
    """A vocational or entrepreneurship training attended (技能培训)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("person")
    )
    course = models.CharField(_("course"), max_length=100)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    certificate = models.BooleanField(_("certificate obtained"), default=False)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-end_date"]

    def __str__(self):
        return f"{self.person} · {self.course}"


class JobMatch(PersonRecord, RecordedBy, TimeStampedModel):
    """A job offered to an unemployed person who wants work (岗位对接)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="job_matches", verbose_name=_("person")
    )
    matched_on = models.DateField(_("matched on"))
    employer = models.CharField(_("employer"), max_length=100)
    job = models.CharField(_("job"), max_length=100)
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=choices.MatchResult.choices,
        default=choices.MatchResult.PENDING,
    )

    class Meta:
        verbose_name = _("job match")
        verbose_name_plural = _("job matches")
        ordering = ["-matched_on"]

    def __str__(self):
        return f"{self.person} · {self.employer} · {self.matched_on}"


class FollowUpVisit(PersonRecord, RecordedBy, TimeStampedModel):
    """A follow-up visit to an employed person (跟踪回访), at least once a year (Tacheng plan
    §四(四))."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="follow_up_visits", verbose_name=_("person")
    )
    visited_on = models.DateField(_("visited on"))
    # What the visit found; blank when it was not recorded.
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on"]

    def __str__(self):
        return f"{self.person} · {self.visited_on}"
