"""The site's own error pages: Django's handler400, handler403, handler404 and handler500 and the
CSRF failure view. A page answers in the site's layout and language, says what happened and
offers a way back (the overview, and the page the user came from); an address under /api/ is
answered in the API's JSON instead."""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _api_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def back_url(request: HttpRequest) -> str:
    """The page the user came from (the Referer), when it is a page of this site other than the
    one that failed; "" otherwise (typed or bookmarked addresses, other sites)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if not referer or referer == request.build_absolute_uri():
        return ""
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return ""
    return referer


def _reason(exception) -> str:
    """The message a PermissionDenied carries, when the code gave it one: every such message in
    this project is written for the user ("只有地区审核员审核报表"). Django's own refusals carry
    none."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return str(message) if isinstance(message, str | Promise) else ""


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """`handler400`: a request Django refuses (a forged host, a broken form). The exception's text
    is for developers, so the page says only what to do."""
    message = _(
        "The address or the form sent cannot be read. Go back, reload the page and try again."
    )
    if _is_api(request):
        return _api_error(message, 400)
    return render(
        request,
        "bad_request.html",
        {"message": message, "back": back_url(request)},
        status=400,
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """`handler403`: the record is in the user's area but their role may not do this; the page
    gives the reason the refusal carries (PermissionDenied(_("…")))."""
    reason = _reason(exception)
    if _is_api(request):
        return _api_error(reason or _("You may not do this."), 403)
    return render(request, "403.html", {"reason": reason, "back": back_url(request)}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """`handler404`: no such page or record, or one outside the user's area (the two look the
    same). Under /api/ (an id that is no number, an address no route takes) the API's own JSON
    answer, as for a record not found."""
    if _is_api(request):
        return _api_error(_("Not found, or outside your area."), 404)
    return render(request, "404.html", {"back": back_url(request)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: something failed on the server. The page is rendered without the request's
    context (no context processor, no database query), since what failed may be one of them."""
    if _is_api(request):
        return _api_error(_("The server failed. Try again later, or tell your administrator."), 500)
    body = loader.get_template("500.html").render({"back": back_url(request)})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: a form sent from a page that has expired (signed out since, or opened
    in another window before signing in again). Django's `reason` is for developers."""
    return render(
        request,
        "403.html",
        {
            "reason": _(
                "This form has expired (you signed in again or out since the page was opened). "
                "Go back, reload the page and send the form again."
            ),
            "back": back_url(request),
        },
        status=403,
    )
