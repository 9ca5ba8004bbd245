from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole_number(raw: str) -> int:
    """`raw` read as a whole number; 0 when it is not one (every caller refuses below 1)."""
    try:
        return int(raw)
    except ValueError:
        return 0


class CappedPageNumberPagination(PageNumberPagination):
    """Page-number pagination whose `page_size` above the ceiling (API_MAX_PAGE_SIZE) is refused,
    not silently cut; a `page` or `page_size` that is no whole number of at least 1 is refused
    (400), and a page past the last is not found (404), each saying what to ask for instead."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw)
        if size < 1:
            raise ValidationError(
                {"page_size": [_("page_size must be a whole number of at least 1.")]}
            )
        if size > self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("page_size may be at most %(max)d; ask for the next page instead.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        number = _whole_number(raw)
        if number < 1:
            raise ValidationError({"page": [_("page must be a whole number of at least 1.")]})
        if number > 1 and number > paginator.num_pages:
            raise NotFound(
                _("There is no page %(page)d: the last page is %(pages)d.")
                % {"page": number, "pages": paginator.num_pages}
            )
        return number

    def get_schema_operation_parameters(self, view):
        """`page` and `page_size` with their bounds."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = (
                    f"Number of results per page: 1 to {self.max_page_size} "
                    f"(default {self.page_size})."
                )
        return parameters
