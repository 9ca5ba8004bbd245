"""Demo data for the registry: settlement sites, relocated households and their members at three
scales, deterministic for a seed, plus one login per role.

The rows are generated consistent by construction (valid and unique ID numbers that agree with
gender and birth date, plausible families, dates in order) and inserted in bulk, without change
history, as a data load would be: COPY on PostgreSQL, `bulk_create` elsewhere (a row's first
change records what it held before: resettle.history.record_previous_values). Nothing here goes
through the services except the memberships of the demo logins.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from django.utils import timezone

from households.choices import (
    AreaType,
    CertificateStatus,
    Education,
    Gender,
    Health,
    HouseholdCategory,
    PersonStatus,
    Placement,
    PovertyStatus,
    Relation,
    Schooling,
)
from households.models import Household, Membership, Person, Region, Site
from households.services import membership_grant, user_grant_reveal
from households.tasks import site_refresh_population
from resettle.bulk import column_types, copy_sql
from resettle.idcard import CHECK_CHARS, check_char
from resettle.scoping import Role

DEMO_PASSWORD = "Demo#2026resettle"
# The day the demo ledgers describe. Fixed, so that a seed gives the same rows whenever it runs.
AS_OF = dt.date(2026, 10, 31)
YEAR = 365.2425
# The Kashgar report's figures (Kashgar report §一), which the prefecture scale reproduces.
KASHGAR_HOUSEHOLDS = 16_290
# Kashgar report §一: 71,173 persons in 16,290 households; the sites' plans assume as much.
PERSONS_PER_HOUSEHOLD = 4.4


# The codes the rows hold, as plain strings (the TextChoices members are str subclasses whose
# every lookup costs; millions of rows feel it).
MALE, FEMALE = Gender.MALE.value, Gender.FEMALE.value
HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT = (
    Relation.HEAD.value,
    Relation.SPOUSE.value,
    Relation.CHILD.value,
    Relation.CHILD_IN_LAW.value,
    Relation.GRANDCHILD.value,
    Relation.PARENT.value,
)
PRESCHOOL, PRIMARY, JUNIOR, SENIOR, COLLEGE, BACHELOR, NO_SCHOOLING = (
    Education.PRESCHOOL.value,
    Education.PRIMARY.value,
    Education.JUNIOR.value,
    Education.SENIOR.value,
    Education.COLLEGE.value,
    Education.BACHELOR.value,
    Education.NONE.value,
)
NOT_IN_SCHOOL, IN_PRESCHOOL, IN_COMPULSORY, IN_SENIOR, IN_HIGHER, DROPPED_OUT = (
    Schooling.NOT_IN_SCHOOL.value,
    Schooling.PRESCHOOL.value,
    Schooling.COMPULSORY.value,
    Schooling.SENIOR.value,
    Schooling.HIGHER.value,
    Schooling.DROPPED_OUT.value,
)
HEALTHY, CHRONIC, SERIOUS, DISABLED = (
    Health.HEALTHY.value,
    Health.CHRONIC.value,
    Health.SERIOUS.value,
    Health.DISABLED.value,
)
ACTIVE, MOVED_OUT, DECEASED = (
    PersonStatus.ACTIVE.value,
    PersonStatus.MOVED_OUT.value,
    PersonStatus.DECEASED.value,
)
ISSUED, IN_PROGRESS, NOT_APPLIED = (
    CertificateStatus.ISSUED.value,
    CertificateStatus.IN_PROGRESS.value,
    CertificateStatus.NONE.value,
)
REGISTERED_POOR, CONCURRENT = (
    HouseholdCategory.REGISTERED_POOR.value,
    HouseholdCategory.CONCURRENT.value,
)
LIFTED, NOT_POOR = PovertyStatus.LIFTED.value, PovertyStatus.NOT_POOR.value


class SeedError(Exception):
    """The database is not ready for seeding; the message says what to run."""


# ---------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Scale:
    """What to generate: `region` (a province or prefecture) with all its counties unless
    `counties` names some, `sites` of which `dispersed` are dispersed placements and `urban` in
    towns, about `households` households, and `big_sites` groups of (count, min, max) households
    for the large sites the policies single out (≥3,000 and ≥10,000 persons)."""

    name: str
    region: str
    sites: int
    dispersed: int
    urban: int
    households: int
    counties: tuple[str, ...] = ()
    big_sites: tuple[tuple[int, int, int], ...] = ()
    min_sites_per_county: int = 1
    min_site_households: int = 15


SCALES = {
    "small": Scale(
        "small",
        "6531",
        sites=4,
        dispersed=1,
        urban=1,
        households=35,
        counties=("653125", "653121"),
        min_sites_per_county=2,
        min_site_households=4,
    ),
    # Kashgar report §一: 96 sites (94 concentrated, 2 dispersed; 85 rural, 11 urban), 16,290
    # households, 71,173 persons, the largest site above 10,000 persons.
    "prefecture": Scale(
        "prefecture",
        "6531",
        sites=96,
        dispersed=2,
        urban=11,
        households=KASHGAR_HOUSEHOLDS,
        big_sites=((1, 2450, 2600), (5, 780, 1000)),
    ),
    # Guizhou-like: about 950 sites, mostly urban; the Guizhou opinions count 1.92 million persons
    # relocated, rounded up here to two million for load testing.
    "province": Scale(
        "province",
        "52",
        sites=950,
        dispersed=9,
        urban=880,
        households=475_000,
        big_sites=((24, 2400, 8500), (110, 720, 2200)),
        min_sites_per_county=2,
    ),
}


# ---------------------------------------------------------------------------------------------
# Reference lists: names, places, ethnic mixes


def _weights(pairs: Sequence[tuple[object, float]]) -> tuple[list, list[float], float]:
    """(values, cumulative weights, total) for `_pick`."""
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum, total


UYGHUR_MALE = [
    "阿卜杜拉",
    "买买提",
    "艾力",
    "吐尔逊",
    "艾买提",
    "阿不都热依木",
    "努尔买买提",
    "麦麦提敏",
    "依明",
    "亚森",
    "吾守尔",
    "卡德尔",
    "阿迪力",
    "艾克拜尔",
    "热合曼",
    "玉素甫",
    "肉孜",
    "托合提",
    "阿布力孜",
    "艾则孜",
    "图尔洪",
    "买合木提",
    "喀斯木",
    "司马义",
    "牙合甫",
    "吐拉克",
    "热西提",
    "艾尼瓦尔",
    "伊力哈木",
    "沙吾提",
    "米吉提",
    "阿里木",
    "居麦",
    "塔依尔",
    "吾斯曼",
    "排尔哈提",
    "迪力夏提",
    "亚库甫",
    "艾散",
    "巴拉提",
    "凯赛尔",
    "伊斯拉木",
    "吾买尔",
    "阿不力克木",
    "努尔艾力",
    "买买提明",
    "阿布都外力",
    "麦麦提艾力",
    "图尔贡",
    "热扎克",
    "斯拉木",
    "艾合买提",
    "克依木",
    "尼亚孜",
    "依布拉音",
    "吐逊江",
    "阿力木江",
    "艾尔肯",
    "木合塔尔",
    "帕尔哈提",
    "买尔旦",
    "阿尔斯兰",
    "赛买提",
    "乃比江",
    "阿不都克力木",
    "萨迪克",
    "吾拉木",
    "托乎提",
    "努尔东",
]
UYGHUR_FEMALE = [
    "古丽娜尔",
    "阿依古丽",
    "热依拉",
    "帕提古丽",
    "努尔古丽",
    "麦尔哈巴",
    "阿依努尔",
    "祖丽皮亚",
    "古再丽努尔",
    "米热古丽",
    "热孜完古丽",
    "阿瓦古丽",
    "帕丽旦",
    "再努尔",
    "阿米娜",
    "茹鲜古丽",
    "阿依夏木",
    "古丽米拉",
    "迪丽努尔",
    "米合日古丽",
    "布海力且姆",
    "排日达",
    "阿孜古丽",
    "热汗古丽",
    "努尔曼古丽",
    "吐尼沙汗",
    "阿娜尔古丽",
    "祖热古丽",
    "再乃甫",
    "海丽其汗",
    "布维阿依谢姆",
    "阿依先木",
    "古丽巴哈尔",
    "麦迪娜",
    "热娜古丽",
    "买热木古丽",
    "图尔荪古丽",
    "阿丽米热",
    "迪丽拜尔",
    "木尼热",
    "努尔比亚",
    "哈丽旦",
    "玛依拉",
    "热比古丽",
    "则乃普",
    "古丽孜巴",
    "苏比努尔",
    "阿衣提拉",
    "美合日班",
    "阿依加马丽",
]
HAN_SURNAMES = _weights(
    [
        (s, w)
        for w, group in (
            (7, "王李张刘陈"),
            (4, "杨黄赵吴周"),
            (2, "徐孙马朱胡郭何高林罗郑梁谢宋唐"),
            (1, "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"),
            (0.5, "付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"),
        )
        for s in group
    ]
)
# Surnames common among the Guizhou minorities, weighted towards the first ones.
MINORITY_SURNAMES = {
    code: _weights([(s, 1 / (i + 2)) for i, s in enumerate(names)])
    for code, names in {
        "03": "马杨李王张丁",  # Hui
        "06": "杨吴龙石王张潘李罗熊陶",  # Miao
        "07": "安陈禄龙杨李王张苏",  # Yi
        "09": "韦王罗陆黄岑班蒙杨吴梁卢",  # Buyi
        "12": "吴杨石龙姚欧陆潘粟",  # Dong
        "15": "田杨向彭冉张黄李覃",  # Tujia
        "25": "韦潘蒙石吴陆",  # Shui
        "37": "王李张刘杨韩",  # Gelao
    }.items()
}
HAN_MALE_CHARS = "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋磊成亮峰建文兵志国东海江山福贵发祥云德富荣兴昌顺金才正永光忠学春"
HAN_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀玲桂英华兰萍红梅琴燕雪倩婷慧莉丹琳颖欣雨佳月凤珍蓉翠菊花妹群美玉香"
)
# Ethnic groups whose names follow the Uyghur pattern (given name · father's given name).
PATRONYMIC = frozenset({"05", "41"})

# Share of households by ethnic group (GB/T 3304 code), by prefecture, county or province; the
# longest matching prefix wins.
ETHNIC_MIX = {
    "65": [("05", 94), ("01", 6)],
    "653131": [("41", 85), ("05", 10), ("01", 5)],
    "52": [("01", 70), ("06", 15), ("09", 10), ("07", 5)],
    "5201": [("01", 80), ("09", 8), ("06", 10), ("07", 2)],
    "5202": [("01", 65), ("07", 12), ("06", 12), ("09", 8), ("03", 3)],
    "5203": [("01", 80), ("37", 10), ("15", 6), ("06", 4)],
    "5204": [("01", 62), ("09", 20), ("06", 15), ("37", 3)],
    "5205": [("01", 63), ("07", 15), ("06", 15), ("03", 4), ("09", 3)],
    "5206": [("01", 35), ("15", 40), ("06", 18), ("12", 7)],
    "5223": [("01", 50), ("09", 35), ("06", 12), ("07", 3)],
    "5226": [("01", 20), ("06", 50), ("12", 27), ("25", 3)],
    "5227": [("01", 40), ("09", 32), ("06", 15), ("25", 10), ("12", 3)],
}


@dataclass(frozen=True)
class Places:
    """Place names of a province for site names and origin addresses, and the abbreviation that
    begins its property certificate numbers."""

    townships: tuple[str, ...]
    villages: tuple[str, ...]
    abbreviation: str


PLACES = {
    "65": Places(
        townships=(
            "阿瓦提",
            "阿热勒",
            "托木吾斯塘",
            "恰热克",
            "喀拉苏",
            "乌达力克",
            "英吾斯坦",
            "巴格阿瓦提",
            "艾力西湖",
            "阿尔斯兰巴格",
            "塔尕尔其",
            "英也尔",
            "伊什库力",
            "霍什拉甫",
            "孜热甫夏提",
            "古勒巴格",
            "依盖尔其",
            "阔什艾日克",
            "亚喀艾日克",
            "塔提让",
            "兰干",
            "阿拉买提",
            "铁提尔",
            "米夏",
            "喀群",
            "墩巴格",
            "白什坎特",
            "荒地",
        ),
        villages=(
            "托万克",
            "英巴格",
            "巴格万",
            "阿亚克",
            "喀拉库木",
            "玉吉米力克",
            "萨依巴格",
            "博斯坦",
            "阔纳",
            "吾斯塘博依",
            "喀拉墩",
            "阿克塔木",
            "亚博依",
            "尤喀克",
            "其力克",
            "苏盖提",
            "塔格",
            "阿恰",
            "库木",
            "帕合提",
        ),
        abbreviation="新",
    ),
    "52": Places(
        townships=(
            "大坝",
            "新场",
            "龙场",
            "坪上",
            "沙坝",
            "马场",
            "猫场",
            "羊场",
            "平寨",
            "高坡",
            "青山",
            "茶园",
            "双河",
            "白岩",
            "石门",
            "三岔",
            "水口",
            "兴隆",
            "长田",
            "落脚",
            "黄泥",
            "岩脚",
            "红岩",
            "观音",
            "鸡场",
            "牛场",
            "木孔",
            "乌江",
            "苗寨",
            "新店",
        ),
        villages=(
            "新寨",
            "坪上",
            "大湾",
            "岩头",
            "田坝",
            "干河",
            "龙潭",
            "沙子",
            "小寨",
            "上寨",
            "下寨",
            "高山",
            "银洞",
            "核桃",
            "马鞍",
            "竹林",
            "平坝",
            "中寨",
            "凉水",
            "火烧",
        ),
        abbreviation="黔",
    ),
}
URBAN_AREAS = [
    "城东",
    "城西",
    "城南",
    "城北",
    "新城",
    "滨河",
    "育才",
    "开发区",
    "高铁新城",
    "工业园区",
    "河东",
    "西城",
]
URBAN_NAMES = [
    "幸福社区",
    "和谐社区",
    "阳光社区",
    "锦绣社区",
    "团结社区",
    "新市民社区",
    "安居家园",
    "易地扶贫搬迁安置区",
    "馨苑",
    "富民新村",
]
RURAL_SUFFIXES = ["安置点", "集中安置区", "易地扶贫搬迁安置点", "新村"]
# Approximate centres (latitude, longitude) for the sites' coordinates; longest prefix wins.
CENTRES = {
    "6531": (38.9, 76.9, 0.8),
    "653101": (39.47, 75.99, 0.1),
    "653121": (39.38, 75.86, 0.15),
    "653122": (39.40, 76.05, 0.15),
    "653123": (38.93, 76.17, 0.15),
    "653124": (38.19, 77.27, 0.15),
    "653125": (38.41, 77.25, 0.2),
    "653126": (37.88, 77.41, 0.2),
    "653127": (38.90, 77.65, 0.15),
    "653128": (39.24, 76.77, 0.15),
    "653129": (39.49, 76.73, 0.2),
    "653130": (39.79, 78.55, 0.2),
    "653131": (37.77, 75.23, 0.1),
    "52": (26.8, 106.8, 1.5),
    "5201": (26.65, 106.63, 0.4),
    "5202": (26.59, 104.83, 0.4),
    "5203": (27.73, 106.93, 0.6),
    "5204": (26.25, 105.95, 0.4),
    "5205": (27.30, 105.29, 0.6),
    "5206": (27.72, 109.19, 0.5),
    "5223": (25.09, 104.90, 0.5),
    "5226": (26.58, 107.98, 0.6),
    "5227": (26.26, 107.52, 0.6),
}
# Weights of the Kashgar counties by relocated population; other counties draw a random weight.
COUNTY_WEIGHTS = {
    "653125": 3.0,
    "653126": 1.5,
    "653129": 1.5,
    "653130": 1.2,
    "653121": 1.2,
    "653122": 1.0,
    "653123": 1.0,
    "653127": 0.8,
    "653128": 0.7,
    "653124": 0.7,
    "653101": 0.6,
    "653131": 0.5,
}

# Household compositions: (kind, share). The shares give about 4.4 persons per household.
COMPOSITIONS = _weights(
    [
        ("single", 4),
        ("couple", 9),
        ("nuclear", 60),
        ("single_parent", 7),
        ("with_parents", 11),
        ("with_grandchildren", 9),
    ]
)
CHILDREN = _weights([(1, 18), (2, 34), (3, 28), (4, 13), (5, 7)])
# Highest education of adults by decade of birth.
ADULT_EDUCATION = {
    1950: _weights([(NO_SCHOOLING, 45), (PRIMARY, 40), (JUNIOR, 13), (SENIOR, 2)]),
    1960: _weights([(NO_SCHOOLING, 25), (PRIMARY, 45), (JUNIOR, 25), (SENIOR, 5)]),
    1970: _weights([(NO_SCHOOLING, 12), (PRIMARY, 40), (JUNIOR, 38), (SENIOR, 8), (COLLEGE, 2)]),
    1980: _weights(
        [
            (NO_SCHOOLING, 5),
            (PRIMARY, 25),
            (JUNIOR, 45),
            (SENIOR, 17),
            (COLLEGE, 6),
            (BACHELOR, 2),
        ]
    ),
    1990: _weights(
        [
            (NO_SCHOOLING, 2),
            (PRIMARY, 12),
            (JUNIOR, 42),
            (SENIOR, 27),
            (COLLEGE, 11),
            (BACHELOR, 6),
        ]
    ),
    2000: _weights(
        [
            (NO_SCHOOLING, 1),
            (PRIMARY, 6),
            (JUNIOR, 38),
            (SENIOR, 32),
            (COLLEGE, 14),
            (BACHELOR, 9),
        ]
    ),
}
DISABILITY_GRADES = _weights([("1", 10), ("2", 20), ("3", 30), ("4", 40)])
CERTIFICATES = _weights([(ISSUED, 78), (IN_PROGRESS, 14), (NOT_APPLIED, 8)])
# Mobile numbers: 130–139, 150–159 (154 is not assigned), 180–189.
PHONE_PREFIXES = [p for p in (f"1{a}{b}" for a in "358" for b in "0123456789") if p != "154"]


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
    "name",
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
            for count, low, high in scale.big_sites
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
            places = PLACES[county[:2]]
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
                by_prefecture.setdefault(county[:4], []).append(county)
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
            codes = (county[:2], county[:4], county)
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
            by_prefecture.setdefault(county[:4], []).append(county)
        for plan in plans:
            others = [c for c in by_prefecture[plan.county[:4]] if c != plan.county]
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
            villages = PLACES[plan.county[:2]].villages
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
        places = PLACES[county[:2]]
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
            mix = self._mixes[county] = _weights(_longest(ETHNIC_MIX, county))
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
                certificate_no = (
                    f"{places.abbreviation}（{date(certificate_on).year}）"
                    f"{self.regions[county].name}不动产权第{serial:07d}号"
                )
        hukou_on = later(move_in, 30, 720) if r() < 0.8 else None
        now, move_in_date = self.now, date(move_in)
        add_household(
            (
                household_id,
                now,
                now,
                1,
                household_no,
                plan.site_id,
                dwelling,
                REGISTERED_POOR if poor else CONCURRENT,
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
                    name,
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
        married child, its spouse and grandchildren.

        Names: "given·father's given" for the patronymic groups; otherwise surname and given
        name, the children taking their father's surname (their mother's without a father)."""
        r, as_of = self.rng.random, self.as_of
        patronymic = ethnicity in PATRONYMIC
        surnames = MINORITY_SURNAMES.get(ethnicity, HAN_SURNAMES) if r() < 0.8 else HAN_SURNAMES

        def given(male: bool) -> str:
            if patronymic:
                pool = UYGHUR_MALE if male else UYGHUR_FEMALE
                return pool[int(r() * len(pool))]
            chars = HAN_MALE_CHARS if male else HAN_FEMALE_CHARS
            first = chars[int(r() * len(chars))]
            return first + chars[int(r() * len(chars))] if r() < 0.7 else first

        def person(relation: str, male: bool, birth: int, family: str = "", own: str = ""):
            own = own or given(male)
            if patronymic:
                return [relation, male, birth, f"{own}·{family or given(True)}", own]
            family = family or _pick(surnames, r)
            return [relation, male, birth, family + own, family]

        def born(low: float, high: float) -> int:
            return as_of - int((low + r() * (high - low)) * YEAR)

        def children(relation: str, father: Member | None, mother: Member | None, count: int):
            parents = [p for p in (father, mother) if p]
            low = max(p[2] for p in parents) + int(18 * YEAR)
            high = min(min(p[2] for p in parents) + int(35 * YEAR), as_of)
            if low > high:
                return []
            # Without a father, a patronymic is that of an absent father; a surname the mother's.
            lineage = father[4] if father else "" if patronymic else mother[4]
            births = sorted(low + int(r() * (high - low)) for _ in range(count))
            return [person(relation, r() < 0.51, birth, lineage) for birth in births]

        kind = _pick(COMPOSITIONS, r)
        if kind == "single":
            return [person(HEAD, r() < 0.45, born(55, 75))]
        head_male = r() < (0.2 if kind == "single_parent" else 0.9)
        head = person(HEAD, head_male, born(*HEAD_AGES[kind]))
        members = [head]
        if kind == "single_parent":
            father, mother = (head, None) if head_male else (None, head)
        else:
            gap = int((-1 + r() * 7) * YEAR) if head_male else -int(r() * 6 * YEAR)
            spouse_birth = min(head[2] + gap, as_of - int(20 * YEAR))
            spouse = person(SPOUSE, not head_male, spouse_birth)
            members.append(spouse)
            father, mother = (head, spouse) if head_male else (spouse, head)
        if kind in ("nuclear", "with_parents"):
            members += children(CHILD, father, mother, _pick(CHILDREN, r))
        elif kind == "single_parent":
            members += children(CHILD, father, mother, 1 + int(r() * 3))
        if kind == "with_parents":
            oldest = as_of - int(92 * YEAR)
            birth = max(head[2] - int((20 + r() * 15) * YEAR), oldest)
            if r() < 0.7:
                # The head's father: his given name is the head's patronym, or his surname the
                # head's.
                if patronymic:
                    members.append(person(PARENT, True, birth, own=head[3].split("·")[1]))
                else:
                    members.append(person(PARENT, True, birth, family=head[4]))
            birth = min(max(birth + int((r() * 6 - 1) * YEAR), oldest), head[2] - int(18 * YEAR))
            members.append(person(PARENT, False, birth))
        if kind == "with_grandchildren":
            married = children(CHILD, father, mother, 1)
            members += children(CHILD, father, mother, int(r() * 2))
            if married and as_of - married[0][2] >= 22 * YEAR:
                child = married[0]
                birth = min(child[2] + int((r() * 6 - 2) * YEAR), as_of - int(20 * YEAR))
                in_law = person(CHILD_IN_LAW, not child[1], birth)
                members += [child, in_law]
                son, daughter = (child, in_law) if child[1] else (in_law, child)
                members += children(GRANDCHILD, son, daughter, 1 + int(r() * 3))
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


# Ages of household heads by composition (the singles are 55–75).
HEAD_AGES = {
    "couple": (45, 75),
    "nuclear": (25, 62),
    "single_parent": (28, 60),
    "with_parents": (25, 50),
    "with_grandchildren": (50, 75),
}
# Property certificates for the relocation housing were issued from mid-2020 (Guizhou opinions:
# registration completed by June 2021).
CERTIFICATES_FROM = dt.date(2020, 6, 1).toordinal()


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainders."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    shortfall = total - sum(counts)
    for i in sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])[:shortfall]:
        counts[i] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Writing

Generate = Callable[[AddRow, AddRow], tuple[int, int]]


def _defaults(model: type[models.Model], columns: tuple[str, ...]) -> tuple[tuple[str, ...], Row]:
    """The model's columns that the generator does not fill (added since), with their defaults."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in columns:
            continue
        if not (field.has_default() or field.null or field.empty_strings_allowed):
            raise SeedError(f"{model.__name__}.{field.name} has no default: the demo must fill it")
        names.append(field.attname)
        values.append(field.get_default())
    return tuple(names), tuple(values)


def _write_bulk(generate: Generate) -> tuple[int, int]:
    """`bulk_create` in large batches, each household before the persons that point at it."""
    batch = 20_000
    household_names, household_values = _defaults(Household, HOUSEHOLD_COLUMNS)
    person_names, person_values = _defaults(Person, PERSON_COLUMNS)
    household_columns = HOUSEHOLD_COLUMNS + household_names
    person_columns = PERSON_COLUMNS + person_names
    households: list[Household] = []
    persons: list[Person] = []

    def flush():
        Household.objects.bulk_create(households, batch_size=batch)
        Person.objects.bulk_create(persons, batch_size=batch)
        households.clear()
        persons.clear()

    def add_household(row: Row) -> None:
        households.append(
            Household(**dict(zip(household_columns, row + household_values, strict=True)))
        )

    def add_person(row: Row) -> None:
        persons.append(Person(**dict(zip(person_columns, row + person_values, strict=True))))
        if len(persons) >= batch:
            flush()

    result = generate(add_household, add_person)
    flush()
    return result


def _write_copy(generate: Generate) -> tuple[int, int]:
    """PostgreSQL: the persons streamed into one binary COPY as they are generated, then the
    households (kept meanwhile) into another; the sequences are then moved past the primary keys
    given."""
    household_names, household_values = _defaults(Household, HOUSEHOLD_COLUMNS)
    person_names, person_values = _defaults(Person, PERSON_COLUMNS)
    person_columns = PERSON_COLUMNS + person_names
    household_columns = HOUSEHOLD_COLUMNS + household_names
    households: list[Row] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        person_types = column_types(raw, Person, person_columns)
        household_types = column_types(raw, Household, household_columns)
        with raw.copy(copy_sql(Person, person_columns)) as copy:
            copy.set_types(person_types)
            write = copy.write_row
            if person_values:
                result = generate(households.append, lambda row: write(row + person_values))
            else:
                result = generate(households.append, write)
        with raw.copy(copy_sql(Household, household_columns)) as copy:
            copy.set_types(household_types)
            write = copy.write_row
            for row in households:
                write(row + household_values)
        for model in (Household, Person):
            table = model._meta.db_table
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",
                [table],
            )
    return result


@contextlib.contextmanager
def _bulk_loading(models_: list[type[models.Model]]) -> Iterator[None]:
    """Inside a transaction, around loading the tables of `models_`. On PostgreSQL: lock them
    (nobody else takes the primary keys given), and do what the manual advises for populating a
    database (§14.4): drop their secondary indexes and foreign keys, load, create them again (one
    sort per index and one join per key instead of an index insertion and a key check per row),
    then analyze. Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        # Run foreign-key checks still deferred from earlier writes in this transaction: a table
        # with pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition, _name in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        cursor.execute(f"ANALYZE {quoted}")


def _next_ids() -> tuple[int, int]:
    """The first free primary keys of households and persons."""
    last_household = Household.objects.aggregate(last=models.Max("id"))["last"] or 0
    last_person = Person.objects.aggregate(last=models.Max("id"))["last"] or 0
    return last_household + 1, last_person + 1


# ---------------------------------------------------------------------------------------------
# Demo logins


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope: str
    reveal: bool = False


DEMO_USERNAMES = ("admin", "reviewer", "county", "county2", "site", "leader")


def logins_for(scale: Scale, plans: list[SitePlan]) -> list[Login]:
    """One login per role. Kashgar: the prefecture, the counties 莎车县 and 疏附县 (those of the
    test trio), the first site of 莎车县. Province: the province, its first prefecture, that
    prefecture's first two counties, the first site of the first."""
    top = scale.region
    if len(top) == 4:
        prefecture, county, county2 = top, "653125", "653121"
    else:
        prefecture = min(p.county[:4] for p in plans)
        county, county2 = sorted({p.county for p in plans if p.county.startswith(prefecture)})[:2]
    site = min(p.code for p in plans if p.county == county)
    return [
        Login("admin", Role.ADMIN, top, reveal=True),
        Login("reviewer", Role.PREFECTURE_REVIEWER, prefecture),
        Login("county", Role.COUNTY_OPERATOR, county, reveal=True),
        Login("county2", Role.COUNTY_OPERATOR, county2),
        Login("site", Role.SITE_OPERATOR, site),
        Login("leader", Role.LEADER_VIEWER, top),
    ]


def create_logins(logins: list[Login]) -> None:
    """Create (or reset) the demo users with the demo password and grant their memberships."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    for login in logins:
        user, _created = User.objects.get_or_create(username=login.username)
        user.password = password
        user.is_staff = login.role == Role.ADMIN
        user.save()
        membership_grant(user=user, role=login.role, scope_code=login.scope)
        if login.reveal:
            user_grant_reveal(user=user)
        if login.role == Role.ADMIN:
            # The demo's administrator reads the security audit trail in the admin.
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="resettle", codename="view_accesslog"
                )
            )


def login_table() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of the demo logins in the database."""
    memberships = Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
        "user", "region", "site"
    )
    rows = []
    for m in sorted(memberships, key=lambda m: (DEMO_USERNAMES.index(m.user.username), m.pk)):
        scope = (
            f"{m.region.code} {m.region.name}" if m.region_id else f"{m.site.code} {m.site.name}"
        )
        rows.append((m.user.username, Role(m.role).label, scope, DEMO_PASSWORD))
    return rows


# ---------------------------------------------------------------------------------------------
# Entry point


@dataclass(frozen=True)
class Result:
    created: bool
    sites: int
    households: int
    persons: int
    seconds: float = 0.0
    # the registry's part of `seconds`, and what the other apps' steps took
    registry_seconds: float = 0.0


# Steps the apps built on the registry add to the demo (employment: labor profiles and jobs):
# (function (as_of), the models it loads) run after the households and persons exist, in the
# same transaction, each with its tables prepared for loading like the registry's.
DEMO_STEPS: list[tuple[Callable[[dt.date], None], list[type[models.Model]]]] = []
# Steps that need the demo logins (work done by the demo users, such as the monthly reports
# submitted and approved), run after them with the same date.
DEMO_AFTER_LOGINS: list[Callable[[dt.date], None]] = []


def seed_demo(scale_name: str = "prefecture", seed: int = 1) -> Result:
    """Seed the demo data of the scale, unless a household exists already: then change nothing
    and return the counts present."""
    if Household.objects.exists():
        return Result(
            created=False,
            sites=Site.objects.count(),
            households=Household.objects.count(),
            persons=Person.objects.count(),
        )
    scale = SCALES[scale_name]
    regions = {r.code: r for r in Region.objects.filter(code__startswith=scale.region[:2])}
    missing = [c for c in (scale.region, *scale.counties) if c not in regions]
    if missing or not any(len(code) == 6 and code.startswith(scale.region) for code in regions):
        raise SeedError(
            f"The reference regions of {scale.region} are missing: run "
            "`python manage.py loaddata fixtures/regions.json` first."
        )
    started = time.perf_counter()
    generator = Generator(scale, seed, regions, min(AS_OF, dt.date.today()))
    plans = generator.plan_sites()
    taken = list(Site.objects.filter(code__in=[p.code for p in plans]).values_list("code")[:3])
    if taken:
        raise SeedError(
            f"Sites {', '.join(c for (c,) in taken)} exist already: the demo fills an empty "
            "registry (flush the database, or add households to the existing sites)."
        )
    with transaction.atomic():
        with _bulk_loading([Site, Household, Person]):
            # Site.save() sets region_code; bulk_create does not call it.
            Site.objects.bulk_create(
                Site(
                    code=p.code,
                    name=p.name,
                    county_id=p.county,
                    region_code=p.county,
                    placement=p.placement,
                    area_type=p.area_type,
                    build_year=p.build_year,
                    planned_households=_round_up(p.households * 1.03),
                    planned_persons=_round_up(p.households * 1.03 * PERSONS_PER_HOUSEHOLD),
                    address=p.address,
                    latitude=p.latitude,
                    longitude=p.longitude,
                )
                for p in plans
            )
            site_ids = dict(
                Site.objects.filter(code__in=[p.code for p in plans]).values_list("code", "id")
            )
            for plan in plans:
                plan.site_id = site_ids[plan.code]
            household_id, person_id = _next_ids()
            write = _write_copy if connection.vendor == "postgresql" else _write_bulk
            households, persons = write(
                functools.partial(generator.generate, plans, household_id, person_id)
            )
        registry_seconds = time.perf_counter() - started
        for step, loaded in DEMO_STEPS:
            with _bulk_loading(loaded):
                step(dt.date.fromordinal(generator.as_of))
        site_refresh_population()
        create_logins(logins_for(scale, plans))
        for step in DEMO_AFTER_LOGINS:
            step(dt.date.fromordinal(generator.as_of))
    return Result(
        created=True,
        sites=len(plans),
        households=households,
        persons=persons,
        seconds=time.perf_counter() - started,
        registry_seconds=registry_seconds,
    )


def _round_up(value: float, step: int = 10) -> int:
    return math.ceil(value / step) * step
