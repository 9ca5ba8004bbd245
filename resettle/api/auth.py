from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken


@extend_schema(summary="Exchange username and password for an API token")
class TokenView(ObtainAuthToken):
    """POST username and password; answer {"token": …} for `Authorization: Token …`."""
