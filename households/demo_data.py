"""The demo's reference data: what the generator (households.demo_generator) draws from.

The three scales of the demo, the codes the generated rows hold, and the reference lists with
their weights: names (Uyghur, Han and the Guizhou minorities), places, ethnic mixes by region,
site names and centres, county weights, household compositions, education by decade of birth,
disability grades, property certificates, mobile prefixes, heads' ages. Data only: no database,
no randomness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from households.choices import (
    CertificateStatus,
    Education,
    Gender,
    Health,
    HouseholdCategory,
    PersonStatus,
    PovertyStatus,
    Relation,
    Schooling,
)

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


# ---------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Scale:
    """What to generate: `region` (a province or prefecture) with all its counties unless
    `counties` names some, `sites` of which `dispersed` are dispersed placements and `urban` in
    towns, about `households` households, and `sized_sites` groups of (count, min, max)
    households for the sites the policies single out by size: the large ones (≥3,000 and
    ≥10,000 persons) and a small one (below the 100 persons from which a site gets a work team,
    managed by the county as a whole)."""

    name: str
    region: str
    sites: int
    dispersed: int
    urban: int
    households: int
    counties: tuple[str, ...] = ()
    sized_sites: tuple[tuple[int, int, int], ...] = ()
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
        sized_sites=((1, 2450, 2600), (5, 780, 1000)),
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
        sized_sites=((24, 2400, 8500), (110, 720, 2200), (1, 14, 17)),
        min_sites_per_county=2,
    ),
}


# ---------------------------------------------------------------------------------------------
# Reference lists: names, places, ethnic mixes


def weights(pairs: Sequence[tuple[object, float]]) -> tuple[list, list[float], float]:
    """(values, cumulative weights, total): a weighted table for the generator to draw from."""
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
HAN_SURNAMES = weights(
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
    code: weights([(s, 1 / (i + 2)) for i, s in enumerate(names)])
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
COMPOSITIONS = weights(
    [
        ("single", 4),
        ("couple", 9),
        ("nuclear", 60),
        ("single_parent", 7),
        ("with_parents", 11),
        ("with_grandchildren", 9),
    ]
)
CHILDREN = weights([(1, 18), (2, 34), (3, 28), (4, 13), (5, 7)])
# Highest education of adults by decade of birth.
ADULT_EDUCATION = {
    1950: weights([(NO_SCHOOLING, 45), (PRIMARY, 40), (JUNIOR, 13), (SENIOR, 2)]),
    1960: weights([(NO_SCHOOLING, 25), (PRIMARY, 45), (JUNIOR, 25), (SENIOR, 5)]),
    1970: weights([(NO_SCHOOLING, 12), (PRIMARY, 40), (JUNIOR, 38), (SENIOR, 8), (COLLEGE, 2)]),
    1980: weights(
        [
            (NO_SCHOOLING, 5),
            (PRIMARY, 25),
            (JUNIOR, 45),
            (SENIOR, 17),
            (COLLEGE, 6),
            (BACHELOR, 2),
        ]
    ),
    1990: weights(
        [
            (NO_SCHOOLING, 2),
            (PRIMARY, 12),
            (JUNIOR, 42),
            (SENIOR, 27),
            (COLLEGE, 11),
            (BACHELOR, 6),
        ]
    ),
    2000: weights(
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
DISABILITY_GRADES = weights([("1", 10), ("2", 20), ("3", 30), ("4", 40)])
CERTIFICATES = weights([(ISSUED, 78), (IN_PROGRESS, 14), (NOT_APPLIED, 8)])
# Mobile numbers: 130–139, 150–159 (154 is not assigned), 180–189.
PHONE_PREFIXES = [p for p in (f"1{a}{b}" for a in "358" for b in "0123456789") if p != "154"]


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
