import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo (six months of reports), made once for a module's tests that only read
    it, and removed after them."""
    with django_db_blocker.unblock():
        call_command("loaddata", "fixtures/regions.json", verbosity=0)
        call_command("seed_demo", "--scale", "small", "--seed", "5", stdout=io.StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)
