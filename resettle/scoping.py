"""Access scoping: the one mechanism that decides what a user may see and change.

A user holds memberships (role, region or site). What they may see is the union of the subtrees of
their memberships; what they may change is the same union taken over the memberships whose role
writes the model in question. Every page, endpoint, export, task and report goes through
`Model.objects.visible_to(user)` / `editable_by(user)` and `can_edit(user, obj)`.

The memberships themselves live in the registry app; this module reads them through the user's
`memberships` relation so that the kernel imports from no app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
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


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its model's region code and site are.

    The model declares `scope_region_field` (path to a region-code string), `scope_site_field`
    (path to a site id, or None), `write_roles` (the roles that may change it) and optionally
    `read_roles` (the roles that may see its records; all when absent) and
    `scope_served_site_field` (path to the ids of the sites a record serves, such as a county's
    industry project serving settlement sites: the users of those sites may read the record,
    never change it).
    """

    def within(self, scope: Scope, *, writing: bool = False):
        """The records in `scope`; unless `writing`, also those serving a site of it."""
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

    def visible_to(self, user, *, region: str | None = None):
        """What `user` may see; with `region`, only that region's subtree of it."""
        roles = getattr(self.model, "read_roles", None)
        return self.within(Scope.for_user(user, roles=roles).narrowed_to(region))

    def editable_by(self, user):
        """What `user` may change: the records in the scope of their writing roles (a record
        they only read because it serves their site is not among them)."""
        return self.within(Scope.for_user(user, roles=self.model.write_roles), writing=True)


def can_edit(user, obj) -> bool:
    """Whether `user` may change `obj`: the same rule as `editable_by`, for one object."""
    return type(obj)._default_manager.editable_by(user).filter(pk=obj.pk).exists()


def check_editable(user, obj) -> None:
    """Raise PermissionDenied unless `user` may change `obj`. Called inside the write's
    transaction after saving, so that a record moved out of the user's scope rolls back."""
    if user is not None and not can_edit(user, obj):
        raise PermissionDenied(
            _("You may not change this record: it is outside what your role may edit.")
        )
