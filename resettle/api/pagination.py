from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class CappedPageNumberPagination(PageNumberPagination):
    """Page-number pagination whose `page_size` above the ceiling is refused, not silently cut."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
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
