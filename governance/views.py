import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from governance.selectors import indicator_values
from households.models import Region
from resettle.indicators import catalogue
from resettle.scoping import Scope


@login_required
def home(request):
    """The user's scope and its registry figures as of today."""
    scope = Scope.for_user(request.user)
    codes = sorted(scope.region_prefixes | scope.site_region_codes, key=len)
    if scope.everything:
        regions = list(Region.objects.filter(parent__isnull=True))
    else:
        regions = list(Region.objects.filter(code__in=codes[:1]))
    today = dt.date.today()
    summaries = [
        indicator_values(scope=scope, region=region, as_of=today, by="child") for region in regions
    ]
    return render(
        request,
        "governance/home.html",
        {
            "memberships": request.user.memberships.select_related("region", "site"),
            "summaries": summaries,
            "indicators": catalogue.all(),
            "as_of": today,
        },
    )
