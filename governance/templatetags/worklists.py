"""The worklists' counts where a cadre looks for them: the menu (a count beside each ledger's
entry, and under it each of its worklists with its own count) and a ledger's list of
worklists. The counts are the
dashboards' live figures (governance.selectors.worklist_counts), read once per request."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from governance.selectors import worklist_counts
from resettle import worklists

register = template.Library()


def _counts(context) -> dict | None:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    if not hasattr(request, "_worklist_counts"):
        request._worklist_counts = worklist_counts(request.user)
    return request._worklist_counts


@register.simple_tag(takes_context=True)
def worklists_of(context, section: str | None = None) -> list[dict]:
    """`{% worklists_of "labor" as items %}`: the worklists of a menu section (all when none),
    each {"title", "url", "count"}; the count is None while the figures are not stored."""
    counts = _counts(context)
    return [
        {
            "title": w.title,
            "url": w.url(),
            "count": counts["counts"].get(w.code) if counts else None,
        }
        for w in worklists.registered(section)
    ]


@register.simple_tag(takes_context=True)
def menu_count(context, section: str) -> str:
    """`{% menu_count "labor" %}`: beside a menu entry, how many entries its worklists hold in
    all, each worklist named with its count in the tooltip ("零就业家庭 12；待岗位对接 30");
    nothing when there are none or the figures are not stored yet."""
    items = [i for i in worklists_of(context, section) if i["count"]]
    if not items:
        return ""
    total = sum(i["count"] for i in items)
    tooltip = "；".join(f"{i['title']} {i['count']:,}" for i in items)
    return format_html(
        ' <small class="count" title="{}" aria-label="{}">{}</small>',
        tooltip,
        _("To do: %(items)s") % {"items": tooltip},
        f"{total:,}",
    )


@register.inclusion_tag("includes/menu_worklists.html", takes_context=True)
def menu_worklists(context, section: str) -> dict:
    """`{% menu_worklists "labor" %}`: under a menu entry, each worklist of its section with its
    own count (a list that opens under the entry on a wide screen, and lies open in the phone's
    menu), so that a cadre goes to 零就业家庭 from any page. Lists only the worklists that hold
    something, or all of them while the figures are not stored."""
    items = worklists_of(context, section)
    stored = any(i["count"] is not None for i in items)
    shown = [
        {**i, "count_text": f"{i['count']:,}" if i["count"] else ""}
        for i in items
        if i["count"] or not stored
    ]
    return {"items": shown, "section": section}
