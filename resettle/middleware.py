"""The UI speaks Simplified Chinese unless the user picked English (language cookie). The
browser's Accept-Language is not followed: an English-locale browser in a county office must
still get the Chinese UI."""

import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from resettle import latechanges
from resettle.cleaning import RefusedCharacter, clean_text, refused_character


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CleanInputMiddleware:
    """Every value a user types in a form or a query string (a search, a filter) goes through
    the one cell cleaner (`resettle.cleaning.clean_text`) before any view sees it, as the API's
    parsers (`resettle.api.parsers`) do for request bodies. Passwords are left as typed: they
    are compared as they were set.

    This is where a query string (of a page or the API) and a page's form body holding a
    control character are refused (`resettle.cleaning.refused_character`): 400, with the
    parameter named, as a page or as the API's JSON; the API's bodies are refused by its
    parsers."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info):
            # No address holds a control character (a NUL in a code, say): no such page, rather
            # than a database refusing the value.
            raise Http404
        try:
            request.GET = cleaned_query(request.GET)
            if request.method == "POST" and request.content_type in self.FORM_TYPES:
                request.POST = cleaned_query(request.POST)
        except RefusedCharacter as exc:
            return refused_response(request, exc)
        return self.get_response(request)


def refused_response(request, exc: RefusedCharacter):
    """The 400 that refuses a request holding a control character: the API's JSON (the field's
    errors, as its validation gives them) or a page that says what to fix."""
    message = exc.message()
    if request.path_info.startswith("/api/"):
        body = {exc.field: [message]} if exc.field else {"detail": message}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "bad_request.html", {"message": message}, status=400)


def cleaned_query(query: QueryDict) -> QueryDict:
    """A copy of `query` (a request's GET or POST) with its values cleaned; password fields as
    they are. Returns `query` itself when nothing changes. Raises RefusedCharacter for a name
    or a value (passwords but) holding a control character."""
    changed = False
    lists = {}
    for key, values in query.lists():
        refused_character(key)
        if "password" in key:
            lists[key] = values
            continue
        for value in values:
            refused_character(value, key)
        cleaned = [clean_text(v) if isinstance(v, str) else v for v in values]
        changed |= cleaned != values
        lists[key] = cleaned
    if not changed:
        return query
    copy = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in lists.items():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


class LateChangesMiddleware:
    """Whoever writes a fact dated into a month whose monthly report is approved is told which
    approved report it leaves behind (`resettle.latechanges`): on the next page, as a warning
    message. The API answers it itself (`resettle.api.views.ScopedViewSetMixin`), and so takes
    the messages first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with latechanges.collected() as notes:
            response = self.get_response(request)
            for message in notes():
                messages.warning(request, message)
        return response


class NoStoreMiddleware:
    """No page or API answer is kept by a browser or a proxy: they carry personal data of the
    registry (PIPL art. 28: sensitive personal information), so `Cache-Control: no-store,
    private` on every response that sets no caching of its own. Static files (served before,
    by WhiteNoise) keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
