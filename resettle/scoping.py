"""Access scoping: the one mechanism that decides what a user may do to which records.

A user holds memberships (role, region or site). Each scoped model declares, per action
(`view`, `change`, `submit`, `review`, `decide`, `generate`, …), which roles may do it and from
where in the region tree (`Grant`: the record's region or one above it, the region itself, or
only a region above it). `Model.objects.restrict(user, action)` is the records the user may do
the action to (after NetBox's `RestrictedQuerySet.restrict`); `permits(user, Model, action,
region_code=…)` answers the same for a record not yet made (a report to generate, a line to set);
`allowed(user, action, obj)` for one record. `visible_to` and `editable_by` are its two commonest
actions. Every page, endpoint, export, task and service decides through these.

The memberships themselves live in the registry app; this module reads them through the user's
`memberships` relation so that the kernel imports from no app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

# Lengths of the significant prefix of a region code by level (GB/T 2260 and the statistics codes).
LEVEL_LENGTHS = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}
CODE_LENGTHS = tuple(sorted(LEVEL_LENGTHS.values()))


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PREFECTURE_REVIEWER = "prefecture_reviewer", _("Prefecture reviewer")
    COUNTY_OPERATOR = "county_operator", _("County operator")
    SITE_OPERATOR = "site_operator", _("Site operator")
    LEADER_VIEWER = "leader_viewer", _("Leading group viewer")


# Roles that write the ledgers within their scope; reviewers and leaders only read.
LEDGER_WRITERS = frozenset({Role.ADMIN, Role.COUNTY_OPERATOR, Role.SITE_OPERATOR})
# Roles that write reference data (sites, regions, monitoring lines).
REFERENCE_WRITERS = frozenset({Role.ADMIN})
# Roles that read the ledgers record by record. The leading group reads figures (dashboards,
# monthly workbooks) only, not households and persons.
LEDGER_READERS = frozenset(set(Role) - {Role.LEADER_VIEWER})
ALL_ROLES = frozenset(Role)


def ancestors(code: str) -> list[str]:
    """The code itself and the codes of the regions above it."""
    return [code[:n] for n in CODE_LENGTHS if n <= len(code)]


def child_length(code: str) -> int:
    """Length of the codes one level below `code`."""
    longer = [n for n in CODE_LENGTHS if n > len(code)]
    if not longer:
        raise ValueError(f"{code} is a village; it has no child regions")
    return longer[0]


@dataclass(frozen=True)
class Scope:
    """A set of region subtrees and single sites; `everything` for the system and superusers."""

    everything: bool = False
    region_prefixes: frozenset[str] = field(default_factory=frozenset)
    # (site id, the site's region code) of the single sites in the scope
    sites: frozenset[tuple[int, str]] = field(default_factory=frozenset)

    @classmethod
    def system(cls) -> Scope:
        return cls(everything=True)

    @classmethod
    def for_user(cls, user, roles: Iterable[str] | None = None) -> Scope:
        """The scope of `user` over the memberships whose role is in `roles` (all when None)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls.system()
        memberships = getattr(user, "_scope_memberships", None)
        if memberships is None:
            memberships = [
                (m.role, m.region_id, m.site_id, m.site.region_code if m.site_id else None)
                for m in user.memberships.select_related("site")
            ]
            user._scope_memberships = memberships
        wanted = None if roles is None else set(roles)
        prefixes, sites = set(), set()
        for role, region_code, site_id, site_region in memberships:
            if wanted is not None and role not in wanted:
                continue
            if region_code:
                prefixes.add(region_code)
            if site_id:
                sites.add((site_id, site_region))
        return cls(region_prefixes=frozenset(prefixes), sites=frozenset(sites))

    @property
    def site_ids(self) -> frozenset[int]:
        return frozenset(site_id for site_id, _code in self.sites)

    @property
    def site_region_codes(self) -> frozenset[str]:
        return frozenset(code for _id, code in self.sites)

    def narrowed_to(self, code: str | None) -> Scope:
        """This scope within the subtree of `code` (None or a malformed code: unchanged).

        Filtering on the narrowed scope alone says the same as the scope plus a region filter,
        but as one prefix per subtree: PostgreSQL misjudges two overlapping prefix ranges on one
        column (scope `52%` and filter `522725%`) and then picks slow plans (BENCHMARKS.md)."""
        if not code or not code.isdigit() or len(code) not in CODE_LENGTHS:
            return self
        if self.covers_region(code):
            return Scope(region_prefixes=frozenset({code}))
        return Scope(
            region_prefixes=frozenset(p for p in self.region_prefixes if p.startswith(code)),
            sites=frozenset(s for s in self.sites if s[1].startswith(code)),
        )

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_prefixes or self.sites)

    def covers_region(self, code: str) -> bool:
        """Whether the whole subtree of `code` lies inside this scope."""
        return self.everything or any(code.startswith(p) for p in self.region_prefixes)

    def touches_region(self, code: str) -> bool:
        """Whether any part of the subtree of `code` lies inside this scope."""
        if self.covers_region(code):
            return True
        return any(p.startswith(code) for p in self.region_prefixes) or any(
            r.startswith(code) for r in self.site_region_codes
        )

    def home_region(self) -> str | None:
        """The narrowest region holding all of this scope: the common ancestor of its regions
        and sites. None when there is none (several provinces, everything, or nothing)."""
        codes = self.region_prefixes | self.site_region_codes
        if self.everything or not codes:
            return None
        common = min(codes)
        for code in codes:
            while not code.startswith(common):
                common = common[:-1]
        fitting = [n for n in CODE_LENGTHS if n <= len(common)]
        return common[: fitting[-1]] if fitting else None

    def q(self, *, region_field: str, site_field: str | None) -> Q:
        """The filter for a model whose region code is at `region_field` and site id at `site_field`."""
        condition = Q(pk__in=[])
        for prefix in sorted(self.region_prefixes):
            condition |= Q(**{f"{region_field}__startswith": prefix})
        if self.site_ids and site_field:
            condition |= Q(**{f"{site_field}__in": sorted(self.site_ids)})
        return condition


class Reach(StrEnum):
    """From where in the region tree a membership grants an action on a record."""

    # The record's region or any region above it (a county operator over the county's
    # households; a prefecture reviewer over its counties' records). Site memberships count for
    # records of that site.
    SUBTREE = "subtree"
    # The record's region itself only (a county operator submits the county's report, not one
    # of a county they hold through their prefecture).
    ITSELF = "itself"
    # Only a region above the record's (a county's report is reviewed from the prefecture).
    ABOVE = "above"


@dataclass(frozen=True)
class Grant:
    """Roles that may do an action, from where (`reach`), on records of which region levels
    (`levels`, e.g. {"county"}; None: any level), and whether a membership on a single site
    grants it (`sites`)."""

    roles: frozenset[str]
    reach: Reach = Reach.SUBTREE
    levels: frozenset[str] | None = None
    sites: bool = True

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))
        if self.levels is not None:
            object.__setattr__(self, "levels", frozenset(self.levels))

    def scope(self, user) -> Scope:
        """The part of `user`'s scope this grant takes: the memberships of its roles."""
        scope = Scope.for_user(user, roles=self.roles)
        if not self.sites and scope.sites:
            scope = Scope(everything=scope.everything, region_prefixes=scope.region_prefixes)
        return scope

    def covers(self, scope: Scope, region_code: str | None, site_id: int | None) -> bool:
        """Whether this grant, over `scope` (from `self.scope`), reaches a record of the region
        `region_code` (None: a national record, reached only by a scope over everything) and the
        site `site_id`."""
        if scope.everything:
            return True
        if not region_code:
            return False
        if self.levels is not None and level_of(region_code) not in self.levels:
            return False
        if self.reach == Reach.ITSELF:
            return region_code in scope.region_prefixes
        if self.reach == Reach.ABOVE:
            return any(
                region_code.startswith(p) and len(p) < len(region_code)
                for p in scope.region_prefixes
            )
        return scope.covers_region(region_code) or (
            site_id is not None and site_id in scope.site_ids
        )


def level_of(code: str) -> str | None:
    """The level ("province", "prefecture", "county", "township", "village") of a region code,
    by its length (LEVEL_LENGTHS); None for a malformed code."""
    for level, length in LEVEL_LENGTHS.items():
        if len(code) == length:
            return level
    return None


def grants(model, action: str) -> tuple[Grant, ...]:
    """Who may do `action` to records of `model`: the model's `scope_actions[action]`; `view`
    and `change` default to its `read_roles` (all roles when absent) and `write_roles`.

    Raises LookupError for an action the model does not declare (a typo is not "nobody")."""
    declared = getattr(model, "scope_actions", {})
    if action in declared:
        return tuple(declared[action])
    if action == "view":
        return (Grant(getattr(model, "read_roles", None) or ALL_ROLES),)
    if action == "change":
        return (Grant(model.write_roles),)
    raise LookupError(f"{model.__name__} declares no action {action!r}")


def scope_for(user, model, action: str) -> Scope:
    """The union of `user`'s scope over the roles that may do `action` to `model` (its
    region-subtree grants): where such records may be added, e.g. the counties where a user
    may enter projects."""
    scopes = [g.scope(user) for g in grants(model, action) if g.reach == Reach.SUBTREE]
    if any(s.everything for s in scopes):
        return Scope.system()
    return Scope(
        region_prefixes=frozenset().union(*(s.region_prefixes for s in scopes)),
        sites=frozenset().union(*(s.sites for s in scopes)),
    )


def permits(
    user, model, action: str, *, region_code: str | None, site_id: int | None = None
) -> bool:
    """Whether `user` may do `action` to a record of `model` in the region `region_code` (and
    the site `site_id`): for records not yet made or known by their region only, such as the
    report of a county to generate. The same grants as `restrict`."""
    return any(g.covers(g.scope(user), region_code, site_id) for g in grants(model, action))


def allowed(user, action: str, obj) -> bool:
    """Whether `user` may do `action` to the record `obj` (one query)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


# Why a user who sees a record may not change it (pages and API alike).
READ_ONLY = _("You can read this record but your role may not change it.")


def require(user, action: str, obj, message=READ_ONLY) -> None:
    """Raise PermissionDenied(`message`) (HTTP 403) unless `user` may do `action` to `obj`."""
    if not allowed(user, action, obj):
        raise PermissionDenied(message)


def get_for(user, queryset, action: str = "view", **lookup):
    """The record of `queryset` (a ScopedQuerySet) matching `lookup` that `user` may see, for a
    page that does `action` to it. Raises Http404 when there is none or it lies outside their
    area (the same answer), PermissionDenied (403) when they see it but may not do `action`."""
    obj = get_object_or_404(queryset.restrict(user, "view"), **lookup)
    if action != "view":
        require(user, action, obj)
    return obj


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its model's region code and site are.

    The model declares `scope_region_field` (path to a region-code string), `scope_site_field`
    (path to a site id, or None), `write_roles` (the roles that may change it), optionally
    `read_roles` (the roles that may see its records; all when absent), `scope_actions` (its
    other actions: {"submit": (Grant(...), ...)}) and `scope_served_site_field` (path to the ids
    of the sites a record serves, such as a county's industry project serving settlement sites:
    the users of those sites may read the record, never change it) and `scope_owner_field`
    (path to the user a record belongs to, such as an upload's: they may read it wherever it
    is).
    """

    def within(self, scope: Scope, *, writing: bool = False):
        """The records in `scope`; unless `writing`, also those serving a site of it (and, for
        regions, the regions above it). `restrict` is the permission; this is its filter."""
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        condition = scope.q(
            region_field=self.model.scope_region_field,
            site_field=self.model.scope_site_field,
        )
        served = getattr(self.model, "scope_served_site_field", None)
        if served and scope.site_ids and not writing:
            serving = self.model._default_manager.filter(
                **{f"{served}__in": sorted(scope.site_ids)}
            )
            condition |= Q(pk__in=serving.values("pk"))
        return self.filter(condition)

    def restrict(self, user, action: str = "view", *, region: str | None = None):
        """The records `user` may do `action` to (the model's `grants`); with `region`, only
        that region's subtree of them. Reading (`view`) also takes the records serving a site
        of the user's; any other action only the records in their scope.

        Raises LookupError for an action the model does not declare."""
        reading = action == "view"
        field_name = self.model.scope_region_field
        region_ok = bool(region) and region.isdigit() and len(region) in CODE_LENGTHS
        in_region = Q(**{f"{field_name}__startswith": region}) if region_ok else Q()
        parts = []
        for grant in grants(self.model, action):
            scope = grant.scope(user)
            if scope.everything or (grant.reach == Reach.SUBTREE and grant.levels is None):
                # Narrowing a scope to a subtree is intersecting with it.
                parts.append(self.within(scope.narrowed_to(region), writing=not reading))
                continue
            if scope.is_empty:
                continue
            # From the region itself or from above: compared with the memberships' own regions,
            # then kept to the subtree asked for (narrowing would put `region` in their place).
            if grant.reach == Reach.ITSELF:
                condition = Q(**{f"{field_name}__in": sorted(scope.region_prefixes)})
            elif grant.reach == Reach.ABOVE:
                condition = Q(pk__in=[])
                for prefix in sorted(scope.region_prefixes):
                    condition |= Q(**{f"{field_name}__startswith": prefix}) & ~Q(
                        **{field_name: prefix}
                    )
            else:
                condition = scope.q(region_field=field_name, site_field=self.model.scope_site_field)
            if grant.levels is not None:
                lengths = sorted(LEVEL_LENGTHS[level] for level in grant.levels)
                condition &= Q(
                    **{f"{field_name}__regex": "^(" + "|".join(f".{{{n}}}" for n in lengths) + ")$"}
                )
            parts.append(self.filter(condition & in_region))
        owner = getattr(self.model, "scope_owner_field", None)
        if reading and owner and getattr(user, "is_authenticated", False) and user.is_active:
            parts.append(self.filter(Q(**{owner: user}) & in_region))
        if not parts:
            return self.none()
        combined = parts[0]
        for part in parts[1:]:
            combined = combined | part
        return combined

    def where_may(self, user, model, action: str = "change"):
        """The records of this model (regions, sites) whose whole subtree lies where `user` may
        do `action` to records of `model` (`scope_for`): e.g. the counties where they may enter
        projects, the sites where they may add households."""
        return self.within(scope_for(user, model, action), writing=True)

    def visible_to(self, user, *, region: str | None = None):
        """What `user` may see (`restrict(user, "view")`); with `region`, only that region's
        subtree of it."""
        return self.restrict(user, "view", region=region)

    def editable_by(self, user):
        """What `user` may change (`restrict(user, "change")`): the records in the scope of
        their writing roles (a record they only read because it serves their site is not among
        them)."""
        return self.restrict(user, "change")


def can_edit(user, obj) -> bool:
    """Whether `user` may change `obj` (`allowed(user, "change", obj)`)."""
    return allowed(user, "change", obj)


def check_editable(user, obj) -> None:
    """Raise PermissionDenied unless `user` may change `obj`. Called inside the write's
    transaction after saving, so that a record moved out of the user's scope rolls back."""
    if user is not None and not can_edit(user, obj):
        raise PermissionDenied(
            _("You may not change this record: it is outside what your role may edit.")
        )
