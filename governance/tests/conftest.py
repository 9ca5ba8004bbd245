import io

import pytest
from django.core.management import call_command


@pytest.fixture
def small_demo(db):
    """The small demo (six months of reports)."""
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", "--seed", "5", stdout=io.StringIO())
