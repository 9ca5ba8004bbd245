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
    home = scope.home_region()
    if home is not None:
        regions = list(Region.objects.filter(code=home))
    else:
        # Superusers, and users whose memberships span provinces: one table per province.
        regions = list(Region.objects.within(scope).filter(level="province"))
    today = dt.date.today()
    summaries = [
        {
            **indicator_values(scope=scope, region=region, as_of=today, by="child"),
            "total": indicator_values(scope=scope, region=region, as_of=today)["values"],
        }
        for region in regions
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
