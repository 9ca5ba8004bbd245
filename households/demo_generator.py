"""The demo's generator: plans the sites of a scale and generates their households and members
as rows, consistent by construction (valid and unique ID numbers that agree with gender and
birth date, plausible families, dates in order) and deterministic for a seed. It draws from the
reference data of households.demo_data and writes nothing: households.demo loads the rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from households.choices import AreaType, Placement
from households.demo_data import (
    ACTIVE,
    ADULT_EDUCATION,
    BACHELOR,
    CENTRES,
    CERTIFICATES,
    CERTIFICATES_FROM,
    CHILD,
    CHILD_IN_LAW,
    CHILDREN,
    CHRONIC,
    COLLEGE,
    COMPOSITIONS,
    CONCURRENT,
    COUNTY_WEIGHTS,
    DECEASED,
    DISABILITY_GRADES,
    DISABLED,
    DROPPED_OUT,
    ETHNIC_MIX,
    FEMALE,
    GRANDCHILD,
    HAN_FEMALE_CHARS,
    HAN_MALE_CHARS,
    HAN_SURNAMES,
    HEAD,
    HEAD_AGES,
    HEALTHY,
    IN_COMPULSORY,
    IN_HIGHER,
    IN_PRESCHOOL,
    IN_PROGRESS,
    IN_SENIOR,
    ISSUED,
    JUNIOR,
    LIFTED,
    MALE,
    MINORITY_SURNAMES,
    MOVED_OUT,
    NOT_IN_SCHOOL,
    NOT_POOR,
    PARENT,
    PATRONYMIC,
    PHONE_PREFIXES,
    PLACES,
    PRESCHOOL,
    PRIMARY,
    REGISTERED_POOR,
    RURAL_SUFFIXES,
    SENIOR,
    SERIOUS,
    SPOUSE,
    URBAN_AREAS,
    URBAN_NAMES,
    UYGHUR_FEMALE,
    UYGHUR_MALE,
    YEAR,
    Places,
    Scale,
    weights,
)
from households.models import Region
from resettle.cleaning import clean_text, name_initials, name_key
from resettle.idcard import CHECK_CHARS, check_char
from resettle.scoping import LEVEL_LENGTHS

# Code lengths of a county's province and prefecture (the places and the prefecture pools).
PROVINCE = LEVEL_LENGTHS["province"]
PREFECTURE = LEVEL_LENGTHS["prefecture"]


def _pick(table: tuple[list, list[float], float], r: Callable[[], float]):
    values, cum, total = table
    return values[bisect.bisect_right(cum, r() * total)]


def _longest(mapping: dict, code: str):
    for n in range(len(code), 0, -1):
        if code[:n] in mapping:
            return mapping[code[:n]]
    raise KeyError(code)


# ---------------------------------------------------------------------------------------------
# ID numbers


class IdNumbers:
    """Unique, valid ID numbers (GB 11643) from an origin county, a birth date and a gender.

    The check character depends on the weighted sum of the first 17 digits modulo 11, which adds
    up over the parts: the residues of each county, each birth date and each 3-digit sequence are
    computed once with `check_char` (on the part padded with zeros) and then only added."""

    def __init__(self, rng: random.Random):
        self._random = rng.random
        self._used: set[str] = set()
        self._counties: dict[str, int] = {}
        self._dates: dict[int, tuple[str, int]] = {}
        sequences = [
            (f"{n:03d}", CHECK_CHARS.index(check_char("0" * 14 + f"{n:03d}"))) for n in range(1000)
        ]
        # The 17th digit is odd for men, even for women.
        self._male, self._female = sequences[1::2], sequences[0::2]

    def make(self, county: str, birth: int, male: bool) -> str:
        try:
            residue = self._counties[county]
            digits, date_residue = self._dates[birth]
        except KeyError:
            self._learn(county, birth)
            return self.make(county, birth, male)
        prefix, residue = county + digits, residue + date_residue
        sequences, used, r = self._male if male else self._female, self._used, self._random
        while True:
            sequence, sequence_residue = sequences[int(r() * 500)]
            first17 = prefix + sequence
            if first17 not in used:
                used.add(first17)
                return first17 + CHECK_CHARS[(residue + sequence_residue) % 11]

    def _learn(self, county: str, birth: int) -> None:
        if county not in self._counties:
            self._counties[county] = CHECK_CHARS.index(check_char(county + "0" * 11))
        if birth not in self._dates:
            digits = dt.date.fromordinal(birth).strftime("%Y%m%d")
            self._dates[birth] = (digits, CHECK_CHARS.index(check_char(f"000000{digits}000")))


# ---------------------------------------------------------------------------------------------
# Generation


@dataclass
class SitePlan:
    """A site to create, with the number of households to generate for it."""

    code: str
    name: str
    county: str
    placement: str
    area_type: str
    households: int
    build_year: int | None
    address: str
    latitude: float
    longitude: float
    site_id: int = 0


HOUSEHOLD_COLUMNS = (
    "id",
    "created",
    "updated",
    "version",
    "household_no",
    "site_id",
    "dwelling",
    "category",
    "origin_region_code",
    "origin_address",
    "relocation_year",
    "move_in_date",
    "old_house_demolished",
    "old_house_demolished_on",
    "homestead_reclaimed",
    "homestead_reclaimed_on",
    "property_certificate_status",
    "property_certificate_no",
    "property_certificate_on",
    "hukou_transferred",
    "hukou_transferred_on",
    "poverty_status",
    "phone",
)
PERSON_COLUMNS = (
    "id",
    "created",
    "updated",
    "version",
    "household_id",
    "site_id",
    "household_category",
    "name",
    "name_key",
    "name_initials",
    "id_number",
    "gender",
    "birth_date",
    "relation",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "disability_grade",
    "medical_insurance",
    "pension_insurance",
    "dibao",
    "tekun",
    "phone",
    "status",
    "registered_on",
    "status_changed_on",
)

Row = tuple
AddRow = Callable[[Row], None]
# A member while a family is put together: [relation, male, birth ordinal, name, lineage], the
# lineage being what the children inherit (the given name for patronymic names, else the surname).
Member = list


class Generator:
    """Plans the sites of a scale and generates their households and members as rows in the
    column orders above. Everything random comes from one `random.Random(seed)` drawn in a fixed
    order, so a seed always gives the same rows."""

    def __init__(self, scale: Scale, seed: int, regions: dict[str, Region], as_of: dt.date):
        self.scale = scale
        self.rng = random.Random(seed)
        self.regions = regions
        self.as_of = as_of.toordinal()
        self.ids = IdNumbers(self.rng)
        self.now = timezone.now()
        # Every day a member may be born on or anything may happen on, by ordinal.
        self._dates = {
            day: dt.date.fromordinal(day) for day in range(self.as_of - 36_600, self.as_of + 1)
        }
        self._certificates: dict[str, int] = {}
        self._mixes: dict[str, tuple] = {}
        self._full_names: dict[str, str] = {}

    # Sites ------------------------------------------------------------------------------------

    def counties(self) -> list[str]:
        if self.scale.counties:
            return list(self.scale.counties)
        return sorted(
            code
            for code, region in self.regions.items()
            if region.level == "county" and code.startswith(self.scale.region)
        )

    def plan_sites(self) -> list[SitePlan]:
        """The sites: counted per county by weight; sized (the large ones of the scale, then a
        log-normal spread) and dealt to the counties' places in random order, the largest being
        the urban ones; a few counties also get a dispersed placement, numbered last."""
        scale, rng = self.scale, self.rng
        counties = self.counties()
        weights = {c: COUNTY_WEIGHTS.get(c) or 0.3 + 1.7 * rng.random() for c in counties}
        extra = _allocate(
            scale.sites - scale.min_sites_per_county * len(counties),
            [weights[c] for c in counties],
        )
        counts = {c: scale.min_sites_per_county + n for c, n in zip(counties, extra, strict=True)}
        dispersed = self._dispersed_counties(counties, counts)

        big = [
            low + int(rng.random() * (high - low + 1))
            for count, low, high in scale.sized_sites
            for _ in range(count)
        ]
        rest = scale.sites - len(big)
        floor = scale.min_site_households
        spread = [math.exp(rng.gauss(0, 0.7)) for _ in range(rest)]
        others = [floor + n for n in _allocate(scale.households - sum(big) - floor * rest, spread)]
        dispersed_sizes = [others.pop(int(rng.random() * len(others))) for _ in dispersed]
        sizes = sorted(big + others, reverse=True)
        slots = sorted(
            ((rng.random(), c) for c in counties for _ in range(counts[c] - dispersed.count(c))),
            reverse=True,
        )
        by_county: dict[str, list[tuple[int, str | None]]] = {c: [] for c in counties}
        for rank, ((_order, county), size) in enumerate(zip(slots, sizes, strict=True)):
            by_county[county].append(
                (size, AreaType.URBAN if rank < scale.urban else AreaType.RURAL)
            )
        for county, size in zip(dispersed, dispersed_sizes, strict=True):
            by_county[county].append((size, None))

        plans = []
        for county in counties:
            region = self.regions[county]
            places = PLACES[county[:PROVINCE]]
            names: set[str] = set()
            # Urban before rural, larger before smaller, the dispersed placement last.
            entries = sorted(
                by_county[county], key=lambda e: (e[1] is None, e[1] != AreaType.URBAN, -e[0])
            )
            for number, (size, area) in enumerate(entries, start=1):
                if area is None:
                    name = f"{region.name}分散安置点"
                    placement, area, build_year = Placement.DISPERSED, AreaType.RURAL, None
                else:
                    placement, build_year = Placement.CONCENTRATED, 2016 + int(rng.random() * 4)
                    name = self._site_name(region.name, area, places, names)
                    names.add(name)
                lat, lon, jitter = _longest(CENTRES, county)
                plans.append(
                    SitePlan(
                        code=f"{county}{number:03d}",
                        name=name,
                        county=county,
                        placement=placement,
                        area_type=area,
                        households=size,
                        build_year=build_year,
                        address=self._full_name(county) + name.removeprefix(region.name),
                        latitude=round(lat + (rng.random() * 2 - 1) * jitter, 6),
                        longitude=round(lon + (rng.random() * 2 - 1) * jitter, 6),
                    )
                )
        return plans

    def _site_name(self, county_name: str, area: str, places: Places, taken: set[str]) -> str:
        """A name not yet `taken` in the county, e.g. 莎车县城北幸福社区, 疏附县阿瓦提乡安置点."""
        choice = self.rng.choice
        for _attempt in range(100):
            if area == AreaType.URBAN:
                name = county_name + choice(URBAN_AREAS) + choice(URBAN_NAMES)
            else:
                name = county_name + choice(places.townships) + choice("镇乡")
                name += choice(RURAL_SUFFIXES)
            if name not in taken:
                return name
        return f"{name}{len(taken) + 1}号"

    def _dispersed_counties(self, counties: list[str], counts: dict[str, int]) -> list[str]:
        """Counties that get a dispersed placement, taking the prefectures in turn."""
        by_prefecture: dict[str, list[str]] = {}
        for county in counties:
            if counts[county] >= 2:
                by_prefecture.setdefault(county[:PREFECTURE], []).append(county)
        for candidates in by_prefecture.values():
            self.rng.shuffle(candidates)
        chosen: list[str] = []
        while len(chosen) < self.scale.dispersed and any(by_prefecture.values()):
            for candidates in by_prefecture.values():
                if candidates and len(chosen) < self.scale.dispersed:
                    chosen.append(candidates.pop())
        return chosen

    def _full_name(self, county: str) -> str:
        name = self._full_names.get(county)
        if name is None:
            codes = (county[:PROVINCE], county[:PREFECTURE], county)
            name = self._full_names[county] = "".join(
                self.regions[c].name for c in codes if c in self.regions
            )
        return name

    # Households and persons -----------------------------------------------------------------

    def generate(
        self,
        plans: list[SitePlan],
        household_id: int,
        person_id: int,
        add_household: AddRow,
        add_person: AddRow,
    ) -> tuple[int, int]:
        """Generate the households of the planned sites (whose `site_id` is set), numbering
        households from `household_id` and persons from `person_id`; returns their counts."""
        households = persons = 0
        by_prefecture: dict[str, list[str]] = {}
        for county in self.counties():
            by_prefecture.setdefault(county[:PREFECTURE], []).append(county)
        for plan in plans:
            others = [c for c in by_prefecture[plan.county[:PREFECTURE]] if c != plan.county]
            dwellings = self._dwellings(plan)
            for number in range(1, plan.households + 1):
                persons += self._household(
                    plan,
                    f"{plan.code}{number:04d}",
                    next(dwellings),
                    others,
                    household_id + households,
                    person_id + persons,
                    add_household,
                    add_person,
                )
                households += 1
        return households, persons

    def _dwellings(self, plan: SitePlan) -> Iterator[str]:
        """The addresses within a site, in order: flats at urban sites and in Guizhou, rows of
        courtyard houses at the rural Kashgar sites, village houses for dispersed placements."""
        r = self.rng.random
        if plan.placement == Placement.DISPERSED:
            villages = PLACES[plan.county[:PROVINCE]].villages
            while True:
                village = villages[int(r() * len(villages))]
                for group in range(1, 3 + int(r() * 6)):
                    for house in range(1, 6 + int(r() * 20)):
                        yield f"{village}村{group}组{house}号"
        elif plan.area_type == AreaType.RURAL and plan.county.startswith("65"):
            per_row = 10 + int(r() * 11)
            for row in itertools.count(1):
                for house in range(1, per_row + 1):
                    yield f"{row}排{house}号"
        else:
            floors = 6 + int(r() * 13) if plan.area_type == AreaType.URBAN else 3 + int(r() * 4)
            units = 2 + int(r() * 2)
            for building in itertools.count(1):
                for unit in range(1, units + 1):
                    for floor in range(1, floors + 1):
                        for room in (1, 2):
                            yield f"{building}栋{unit}单元{floor}{room:02d}"

    def _phone(self) -> str:
        r = self.rng.random
        return PHONE_PREFIXES[int(r() * len(PHONE_PREFIXES))] + f"{int(r() * 100_000_000):08d}"

    def _household(
        self,
        plan: SitePlan,
        household_no: str,
        dwelling: str,
        others: list[str],
        household_id: int,
        person_id: int,
        add_household: AddRow,
        add_person: AddRow,
    ) -> int:
        """Add one household and its members; returns the number of members."""
        r, as_of, date, county = self.rng.random, self.as_of, self._dates.get, plan.county
        origin = others[int(r() * len(others))] if others and r() < 0.1 else county
        places = PLACES[county[:PROVINCE]]
        # Township-like codes: towns 100–106, townships 200–211, each with a fixed name.
        township = int(r() * 19)
        township_code = 100 + township if township < 7 else 193 + township
        origin_address = (
            self._full_name(origin)
            + places.townships[(township_code + int(origin)) % len(places.townships)]
            + ("镇" if township < 7 else "乡")
            + places.villages[int(r() * len(places.villages))]
            + f"村{1 + int(r() * 8)}组"
        )
        if plan.build_year is None:
            year = 2016 + int(r() * 5)
        else:
            year = min(2020, plan.build_year + int(r() * 3))
        move_in = dt.date(year, 1, 1).toordinal() + int(r() * 365)
        poor = r() < 0.85
        mix = self._mixes.get(county)
        if mix is None:
            mix = self._mixes[county] = weights(_longest(ETHNIC_MIX, county))
        ethnicity = _pick(mix, r)
        members = self._family(ethnicity)
        head_phone = self._phone()

        def later(start: int | None, low: int, high: int) -> int | None:
            if start is None:
                return None
            day = start + low + int(r() * (high - low))
            return day if day <= as_of else None

        demolished = later(move_in, 30, 540) if r() < (0.96 if poor else 0.85) else None
        reclaimed = later(demolished, 30, 540) if r() < 0.92 else None
        certificate, certificate_no = _pick(CERTIFICATES, r), ""
        certificate_on = None
        if certificate == ISSUED:
            certificate_on = later(max(move_in + 180, CERTIFICATES_FROM), 0, 500)
            if certificate_on is None:
                certificate = IN_PROGRESS
            else:
                serial = self._certificates[county] = self._certificates.get(county, 0) + 1
                # Stored as the cleaner stores what is typed (half-width brackets), so that an
                # edit or a re-import of the export changes nothing.
                certificate_no = clean_text(
                    f"{places.abbreviation}（{date(certificate_on).year}）"
                    f"{self.regions[county].name}不动产权第{serial:07d}号"
                )
        hukou_on = later(move_in, 30, 720) if r() < 0.8 else None
        now, move_in_date = self.now, date(move_in)
        category = REGISTERED_POOR if poor else CONCURRENT
        add_household(
            (
                household_id,
                now,
                now,
                1,
                household_no,
                plan.site_id,
                dwelling,
                category,
                f"{origin}{township_code}",
                origin_address,
                year,
                move_in_date,
                demolished is not None,
                date(demolished),
                reclaimed is not None,
                date(reclaimed),
                certificate,
                certificate_no,
                date(certificate_on),
                hukou_on is not None,
                date(hukou_on),
                LIFTED if poor else NOT_POOR,
                head_phone,
            )
        )

        dibao = r() < (0.12 if poor else 0.03)
        alone = len(members) == 1
        make_id = self.ids.make
        for offset, (relation, male, birth, name, _lineage) in enumerate(members):
            age = (as_of - birth) / YEAR
            birth_date = date(birth)
            # Members born after the move are registered at birth.
            registered, registered_on = (
                (move_in, move_in_date) if move_in > birth else (birth, birth_date)
            )
            education, schooling = _schooling(age, birth_date.year, r)
            roll = r()
            if roll < (0.89 - (age - 40) * 0.004 if age > 40 else 0.89):
                health, grade = HEALTHY, "0"
            elif roll < 0.965:
                health, grade = CHRONIC, "0"
            elif roll < 0.975:
                health, grade = SERIOUS, "0"
            else:
                health, grade = DISABLED, _pick(DISABILITY_GRADES, r)
            if relation == HEAD:
                phone = head_phone
            elif 18 <= age < 60 and r() < 0.6:
                phone = self._phone()
            else:
                phone = ""
            status, changed_on = ACTIVE, None
            if as_of - registered > 30:
                roll = r()
                dies = 0.3 if age >= 80 else 0.12 if age >= 70 else 0.04 if age >= 60 else 0.003
                leaves = 0.08 if relation != HEAD and 18 <= age <= 40 else 0.008
                if roll < dies + leaves:
                    status = DECEASED if roll < dies else MOVED_OUT
                    changed_on = date(registered + 30 + int(r() * (as_of - registered - 30)))
            add_person(
                (
                    person_id + offset,
                    now,
                    now,
                    1,
                    household_id,
                    plan.site_id,
                    category,
                    name,
                    name_key(name),
                    name_initials(name),
                    make_id(origin, birth, male),
                    MALE if male else FEMALE,
                    birth_date,
                    relation,
                    ethnicity,
                    education,
                    schooling,
                    health,
                    grade,
                    r() < 0.99,
                    age >= 16 and schooling == NOT_IN_SCHOOL and r() < 0.9,
                    dibao,
                    alone and age >= 60 and r() < 0.5,
                    phone,
                    status,
                    registered_on,
                    changed_on,
                )
            )
        return len(members)

    def _family(self, ethnicity: str) -> list[Member]:
        """The members of one household, head first: heads of 25–75, spouses of similar age,
        children 18–35 years younger than their parents, some with the head's parents or with a
        married child, its spouse and grandchildren (names as `_Family` makes them)."""
        family = _Family(self.rng.random, self.as_of, ethnicity)
        r, person, children = family.r, family.person, family.children
        kind = _pick(COMPOSITIONS, r)
        if kind == "single":
            return [person(HEAD, r() < 0.45, family.born(55, 75))]
        head_male = r() < (0.2 if kind == "single_parent" else 0.9)
        head = person(HEAD, head_male, family.born(*HEAD_AGES[kind]))
        members = [head]
        if kind == "single_parent":
            father, mother = (head, None) if head_male else (None, head)
        else:
            gap = int((-1 + r() * 7) * YEAR) if head_male else -int(r() * 6 * YEAR)
            spouse_birth = min(head[2] + gap, self.as_of - int(20 * YEAR))
            spouse = person(SPOUSE, not head_male, spouse_birth)
            members.append(spouse)
            father, mother = (head, spouse) if head_male else (spouse, head)
        if kind in ("nuclear", "with_parents"):
            members += children(CHILD, father, mother, _pick(CHILDREN, r))
        elif kind == "single_parent":
            members += children(CHILD, father, mother, 1 + int(r() * 3))
        if kind == "with_parents":
            members += family.parents_of(head)
        if kind == "with_grandchildren":
            members += family.grandchildren_line(father, mother)
        return members


class _Family:
    """The making of one household's members (`DemoGenerator._family`), drawing from `r` (the
    generator's random source, in a fixed order so that a seed gives the same demo) as of
    `as_of` (an ordinal day). A member is [relation, male, birth ordinal, name, lineage].

    Names: "given·father's given" for the patronymic groups; otherwise surname and given name,
    the children taking their father's surname (their mother's without a father)."""

    def __init__(self, r: Callable[[], float], as_of: int, ethnicity: str):
        self.r, self.as_of = r, as_of
        self.patronymic = ethnicity in PATRONYMIC
        self.names: set[str] = set()
        self.surnames = (
            MINORITY_SURNAMES.get(ethnicity, HAN_SURNAMES) if r() < 0.8 else HAN_SURNAMES
        )

    def given(self, male: bool) -> str:
        r = self.r
        if self.patronymic:
            pool = UYGHUR_MALE if male else UYGHUR_FEMALE
            return pool[int(r() * len(pool))]
        chars = HAN_MALE_CHARS if male else HAN_FEMALE_CHARS
        first = chars[int(r() * len(chars))]
        return first + chars[int(r() * len(chars))] if r() < 0.7 else first

    def person(self, relation: str, male: bool, birth: int, family: str = "", own: str = ""):
        drawn = not own
        own = own or self.given(male)
        if self.patronymic:
            family = family or self.given(True)
            form = "{own}·{family}"
        else:
            family = family or _pick(self.surnames, self.r)
            form = "{family}{own}"
        # Two members of a household are not given one name (a masked ID number and the name
        # tell siblings apart on a re-import): the next given name of the list instead, which
        # draws nothing, so that the rest of the demo stays as the seed makes it.
        while drawn and form.format(own=own, family=family) in self.names:
            own = self._next_given(own, male)
        name = form.format(own=own, family=family)
        self.names.add(name)
        return [relation, male, birth, name, own if self.patronymic else family]

    def _next_given(self, own: str, male: bool) -> str:
        if self.patronymic:
            pool = UYGHUR_MALE if male else UYGHUR_FEMALE
            return pool[(pool.index(own) + 1) % len(pool)]
        chars = HAN_MALE_CHARS if male else HAN_FEMALE_CHARS
        return own[:-1] + chars[(chars.index(own[-1]) + 1) % len(chars)]

    def born(self, low: float, high: float) -> int:
        return self.as_of - int((low + self.r() * (high - low)) * YEAR)

    def children(self, relation: str, father: Member | None, mother: Member | None, count: int):
        r = self.r
        parents = [p for p in (father, mother) if p]
        low = max(p[2] for p in parents) + int(18 * YEAR)
        high = min(min(p[2] for p in parents) + int(35 * YEAR), self.as_of)
        if low > high:
            return []
        # Without a father, a patronymic is that of an absent father; a surname the mother's.
        lineage = father[4] if father else "" if self.patronymic else mother[4]
        births = sorted(low + int(r() * (high - low)) for _ in range(count))
        return [self.person(relation, r() < 0.51, birth, lineage) for birth in births]

    def parents_of(self, head: Member) -> list[Member]:
        """The head's mother, and most often the head's father, living with the household."""
        r, members = self.r, []
        oldest = self.as_of - int(92 * YEAR)
        birth = max(head[2] - int((20 + r() * 15) * YEAR), oldest)
        if r() < 0.7:
            # The head's father: his given name is the head's patronym, or his surname the
            # head's.
            if self.patronymic:
                members.append(self.person(PARENT, True, birth, own=head[3].split("·")[1]))
            else:
                members.append(self.person(PARENT, True, birth, family=head[4]))
        birth = min(max(birth + int((r() * 6 - 1) * YEAR), oldest), head[2] - int(18 * YEAR))
        members.append(self.person(PARENT, False, birth))
        return members

    def grandchildren_line(self, father: Member | None, mother: Member | None) -> list[Member]:
        """The children, one of them married (with a spouse and children) once 22 or older."""
        r, members = self.r, []
        married = self.children(CHILD, father, mother, 1)
        members += self.children(CHILD, father, mother, int(r() * 2))
        if married and self.as_of - married[0][2] >= 22 * YEAR:
            child = married[0]
            birth = min(child[2] + int((r() * 6 - 2) * YEAR), self.as_of - int(20 * YEAR))
            in_law = self.person(CHILD_IN_LAW, not child[1], birth)
            members += [child, in_law]
            son, daughter = (child, in_law) if child[1] else (in_law, child)
            members += self.children(GRANDCHILD, son, daughter, 1 + int(r() * 3))
        return members


def _schooling(age: float, birth_year: int, r: Callable[[], float]) -> tuple[str, str]:
    """Highest education (the level attended for pupils) and schooling at `age`."""
    if age < 3:
        return "", NOT_IN_SCHOOL
    if age < 6:
        return PRESCHOOL, IN_PRESCHOOL if r() < 0.85 else NOT_IN_SCHOOL
    if age < 16:
        return PRIMARY if age < 12 else JUNIOR, IN_COMPULSORY if r() < 0.995 else DROPPED_OUT
    if age < 19:
        return (SENIOR, IN_SENIOR) if r() < 0.7 else (JUNIOR, NOT_IN_SCHOOL)
    education = _pick(ADULT_EDUCATION[min(2000, max(1950, birth_year // 10 * 10))], r)
    if age < 23 and education in (COLLEGE, BACHELOR) and r() < 0.7:
        return education, IN_HIGHER
    return education, NOT_IN_SCHOOL


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainders."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    shortfall = total - sum(counts)
    for i in sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])[:shortfall]:
        counts[i] += 1
    return counts
