"""Code lists of the registry. Stable English codes, Chinese labels through the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from resettle.codelists import declare_aliases


class RegionLevel(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("region level", "Province")
    PREFECTURE = "prefecture", pgettext_lazy("region level", "Prefecture")
    COUNTY = "county", pgettext_lazy("region level", "County")
    TOWNSHIP = "township", pgettext_lazy("region level", "Township")
    VILLAGE = "village", pgettext_lazy("region level", "Village")


class Placement(models.TextChoices):
    CONCENTRATED = "concentrated", _("Concentrated placement")
    DISPERSED = "dispersed", _("Dispersed placement")


class AreaType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class HouseholdCategory(models.TextChoices):
    REGISTERED_POOR = "registered_poor", _("Registered poor relocated household")
    CONCURRENT = "concurrent", _("Concurrently relocated household")


class PovertyStatus(models.TextChoices):
    LIFTED = "lifted", _("Lifted out of poverty")
    NOT_POOR = "not_poor", _("Never registered poor")


class CertificateStatus(models.TextChoices):
    NONE = "none", _("Not applied")
    IN_PROGRESS = "in_progress", _("In progress")
    ISSUED = "issued", _("Issued")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Ethnicity(models.TextChoices):
    """The 56 ethnic groups with their GB/T 3304 codes."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    TIBETAN = "04", _("Tibetan")
    UYGHUR = "05", _("Uyghur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BUYI = "09", _("Buyi")
    KOREAN = "10", _("Korean")
    MANCHU = "11", _("Manchu")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAKH = "17", _("Kazakh")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SHUI = "25", _("Shui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KYRGYZ = "29", _("Kyrgyz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSSIAN = "44", _("Russian")
    EWENKI = "45", _("Ewenki")
    DEANG = "46", _("De'ang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")


class Education(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary or vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor or above")


class Schooling(models.TextChoices):
    NOT_IN_SCHOOL = "not_in_school", _("Not in school")
    PRESCHOOL = "preschool", _("In preschool")
    COMPULSORY = "compulsory", _("In compulsory education")
    SENIOR = "senior", _("In senior secondary or vocational school")
    HIGHER = "higher", _("In higher education")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Long-term chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", _("Disabled")


class DisabilityGrade(models.TextChoices):
    """残疾等级; blank is not known (a person recorded as having no disability is 无)."""

    NONE = "0", _("None")
    GRADE_1 = "1", _("Grade 1")
    GRADE_2 = "2", _("Grade 2")
    GRADE_3 = "3", _("Grade 3")
    GRADE_4 = "4", _("Grade 4")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


# What cadres write for these lists in their sheets (resettle.codelists): read as the label.
declare_aliases(
    Ethnicity,
    {
        # The generic rule reads every name without 族 (汉, 回, 维吾尔, 哈萨克 …); these are the
        # two-character short forms in use in Xinjiang and elsewhere.
        Ethnicity.UYGHUR: ("维", "维族", "维吾尔", "维吾尔族人"),
        Ethnicity.KAZAKH: ("哈", "哈族"),
        Ethnicity.KYRGYZ: ("柯", "柯族", "柯尔克孜"),
        Ethnicity.MONGOL: ("蒙族", "蒙"),
        Ethnicity.UZBEK: ("乌兹别克族", "乌兹别克"),
        Ethnicity.TUJIA: ("土家",),
    },
)
declare_aliases(
    Relation,
    {
        Relation.HEAD: ("本人", "户主本人", "户主(本人)"),
        Relation.SPOUSE: ("妻", "妻子", "夫", "丈夫", "爱人", "之妻", "之夫", "老伴"),
        Relation.CHILD: (
            "子",
            "女",
            "儿子",
            "女儿",
            "之子",
            "之女",
            "长子",
            "次子",
            "三子",
            "四子",
            "五子",
            "长女",
            "次女",
            "三女",
            "四女",
            "五女",
            "独子",
            "独女",
            "养子",
            "养女",
            "继子",
            "继女",
        ),
        Relation.CHILD_IN_LAW: ("儿媳", "儿媳妇", "媳妇", "女婿", "之儿媳", "之女婿"),
        Relation.GRANDCHILD: ("孙子", "孙女", "外孙", "外孙子", "外孙女", "孙子女", "之孙"),
        Relation.PARENT: (
            "父亲",
            "母亲",
            "父",
            "母",
            "之父",
            "之母",
            "岳父",
            "岳母",
            "公公",
            "婆婆",
        ),
        Relation.GRANDPARENT: ("祖父", "祖母", "爷爷", "奶奶", "外祖父", "外祖母"),
        Relation.SIBLING: ("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"),
        Relation.OTHER: ("其他", "其它", "其他亲属", "侄子", "侄女", "外甥", "外甥女"),
    },
)
declare_aliases(
    Education,
    {
        Education.PRESCHOOL: ("学前", "学前儿童", "学龄前儿童"),
        Education.NONE: ("文盲", "半文盲", "文盲或半文盲", "文盲半文盲", "未上学", "无"),
        Education.PRIMARY: ("小学文化",),
        Education.JUNIOR: ("初中文化", "初级中学"),
        Education.SENIOR: ("高中", "中专", "职高", "技校", "中职", "高中文化", "中等专科"),
        Education.COLLEGE: ("专科", "大专文化", "高职"),
        Education.BACHELOR: ("本科", "大学", "大学本科", "研究生", "硕士", "博士", "本科以上"),
    },
)
declare_aliases(
    Schooling,
    {
        Schooling.NOT_IN_SCHOOL: ("不在校", "非在校", "否"),
        Schooling.PRESCHOOL: ("学前", "幼儿园", "在读幼儿园", "学前在读"),
        Schooling.COMPULSORY: ("小学在读", "初中在读", "义务教育", "在读小学", "在读初中"),
        Schooling.SENIOR: ("高中在读", "中职在读", "中专在读", "在读高中"),
        Schooling.HIGHER: ("大学在读", "大专在读", "本科在读", "在读大学", "研究生在读"),
        Schooling.DROPPED_OUT: ("失学",),
    },
)
declare_aliases(
    Health,
    {
        Health.HEALTHY: ("良好", "正常", "健康良好", "身体健康"),
        Health.CHRONIC: ("慢性病", "长期慢性病患者", "患有慢性病"),
        Health.SERIOUS: ("大病", "重病", "患大病", "重大疾病", "大病患者"),
        Health.DISABLED: ("残疾人", "有残疾"),
    },
)
declare_aliases(
    DisabilityGrade,
    {
        DisabilityGrade.NONE: ("非残疾", "否"),
        DisabilityGrade.GRADE_1: ("1级", "一级残疾", "一"),
        DisabilityGrade.GRADE_2: ("2级", "二级残疾", "二"),
        DisabilityGrade.GRADE_3: ("3级", "三级残疾", "三"),
        DisabilityGrade.GRADE_4: ("4级", "四级残疾", "四"),
    },
)
declare_aliases(Gender, {Gender.MALE: ("男性",), Gender.FEMALE: ("女性",)})
declare_aliases(
    PersonStatus,
    {
        PersonStatus.ACTIVE: ("正常", "在籍", "在户"),
        PersonStatus.MOVED_OUT: ("已迁出", "外迁", "迁走"),
        PersonStatus.DECEASED: ("已死亡", "去世", "已故", "已去世", "亡故"),
    },
)
declare_aliases(
    CertificateStatus,
    {
        CertificateStatus.NONE: ("未办", "未办证", "否", "无"),
        CertificateStatus.IN_PROGRESS: ("在办", "正在办理", "办理中"),
        CertificateStatus.ISSUED: ("已办", "已办理", "已发证", "已颁证", "是", "有"),
    },
)
declare_aliases(
    HouseholdCategory,
    {
        HouseholdCategory.REGISTERED_POOR: ("建档立卡户", "建档立卡", "建档立卡贫困户", "贫困户"),
        HouseholdCategory.CONCURRENT: ("同步搬迁", "随迁户", "非建档立卡户", "同步搬迁户"),
    },
)
declare_aliases(
    PovertyStatus,
    {
        PovertyStatus.LIFTED: ("已脱贫", "脱贫", "脱贫户(已脱贫)"),
        PovertyStatus.NOT_POOR: ("非贫困户", "一般农户", "非建档立卡户"),
    },
)
