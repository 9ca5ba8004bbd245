"""factory_boy factories of the registry. Persons get valid, unique ID numbers that agree with
their gender and birth date."""

import datetime as dt

import factory

from households import choices
from households.models import Household, Person, Region, Site
from resettle.idcard import check_char


def make_id_number(county: str, birth: dt.date, seq: int, gender: str) -> str:
    """A valid ID: county code, birth date, a 3-digit sequence whose last digit is odd for men."""
    seq3 = (seq * 2 + (1 if gender == "male" else 0)) % 1000
    first17 = f"{county[:6]}{birth:%Y%m%d}{seq3:03d}"
    return first17 + check_char(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "653125"
    name = factory.LazyAttribute(lambda o: f"区划{o.code}")
    level = factory.LazyAttribute(
        lambda o: {2: "province", 4: "prefecture", 6: "county", 9: "township"}[len(o.code)]
    )
    parent = factory.LazyAttribute(
        lambda o: (
            RegionFactory(code=o.code[: {4: 2, 6: 4, 9: 6}[len(o.code)]])
            if len(o.code) > 2
            else None
        )
    )


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    county = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Sequence(lambda n: f"幸福安置区{n}")
    placement = choices.Placement.CONCENTRATED
    area_type = choices.AreaType.RURAL


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    site = factory.SubFactory(SiteFactory)
    household_no = factory.Sequence(lambda n: f"H{n:07d}")
    category = choices.HouseholdCategory.REGISTERED_POOR
    move_in_date = dt.date(2019, 6, 1)
    relocation_year = 2019
    # A household whose ledger says everything (the model leaves a fact blank: not known).
    poverty_status = choices.PovertyStatus.LIFTED
    old_house_demolished = False
    homestead_reclaimed = False
    property_certificate_status = choices.CertificateStatus.NONE
    hukou_transferred = False


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        seq = factory.Sequence(lambda n: n)

    household = factory.SubFactory(HouseholdFactory)
    site = factory.SelfAttribute("household.site")
    household_category = factory.SelfAttribute("household.category")
    name = factory.Sequence(lambda n: f"居民{n}")
    gender = "male"
    birth_date = dt.date(1980, 5, 17)
    id_number = factory.LazyAttribute(
        lambda o: make_id_number(o.household.site.county_id, o.birth_date, o.seq, o.gender)
    )
    registered_on = dt.date(2019, 6, 1)
    # A member whose facts are all recorded (the model leaves a fact blank: not known).
    relation = choices.Relation.HEAD
    ethnicity = choices.Ethnicity.HAN
    schooling = choices.Schooling.NOT_IN_SCHOOL
    health = choices.Health.HEALTHY
    disability_grade = choices.DisabilityGrade.NONE
    medical_insurance = True
    pension_insurance = False
    dibao = False
    tekun = False
