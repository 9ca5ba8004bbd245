"""Celery tasks of the registry: thin wrappers around the services of the same name."""

import datetime as dt

from celery import shared_task
from django.db import transaction

from households.models import Site
from resettle.indicators import Grouping, catalogue
from resettle.scoping import Scope


def site_refresh_population(*, region_code: str = "", as_of: dt.date | None = None) -> int:
    """Store each site's registered persons (the `persons` indicator by site); idempotent.
    Returns the number of sites whose figure changed."""
    as_of = as_of or dt.date.today()
    grouping = Grouping(region_code=region_code, as_of=as_of, scope=Scope.system(), by="site")
    values = catalogue.values(grouping, ["persons"])
    changed = []
    sites = Site.objects.filter(region_code__startswith=region_code)
    for site in sites.only("id", "registered_persons"):
        persons = values.get(site.pk, {}).get("persons", 0)
        if site.registered_persons != persons:
            site.registered_persons = persons
            changed.append(site)
    with transaction.atomic():
        Site.objects.bulk_update(changed, ["registered_persons"], batch_size=1000)
    return len(changed)


@shared_task(name="households.site_refresh_population")
def site_refresh_population_task(region_code: str = "") -> int:
    return site_refresh_population(region_code=region_code)
