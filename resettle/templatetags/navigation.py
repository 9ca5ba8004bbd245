"""The breadcrumb trail every page shows (templates/includes/breadcrumbs.html):
概况 › a section of the menu › the places above the page's record › the record › the page."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The menu's sections a trail may pass through, by route name.
SECTIONS = {
    "household-list": _("Household ledger"),
    "labor-list": _("Labor ledger"),
    "case-list": _("Monitoring"),
    "project-list": _("Industry projects"),
    "site-list": _("Settlement sites"),
    "reports": _("Monthly dispatch reports"),
    "dashboard": _("Dashboard"),
    "api-tokens": _("API tokens"),
}


def places(record) -> list[tuple[str, str]]:
    """(label, address) of `record` and of the places above it, the highest first: a record
    names the place above it with `breadcrumb_parent` (a household its site, a site its county),
    itself with `title` or str(), and its page with `get_absolute_url`."""
    trail = []
    while record is not None:
        label = getattr(record, "title", None) or str(getattr(record, "name", "") or record)
        trail.append((label, record.get_absolute_url()))
        record = getattr(record, "breadcrumb_parent", None)
    return trail[::-1]


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*links, section: str = "", at=None, here: str = ""):
    """The trail of a page: 概况, then the menu's `section` (a route name of SECTIONS), the
    places of the record `at` (`places`), `links` given as pairs of label and address (e.g. a
    report on its return page), and `here`, the page itself; the last crumb is not a link.

        {% breadcrumbs at=household here=_("Edit") %}
        {% breadcrumbs section="labor-list" here=title %}
    """
    if len(links) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes links as label and address pairs")
    crumbs = [(_("Overview"), reverse("home"))]
    if section:
        crumbs.append((SECTIONS[section], reverse(section)))
    if at is not None:
        crumbs.extend(places(at))
    # A pair without a label (a step the page does not have) is left out.
    crumbs.extend((label, url) for label, url in zip(links[::2], links[1::2], strict=True) if label)
    if here:
        crumbs.append((here, ""))
    return {"crumbs": crumbs}
