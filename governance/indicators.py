"""What governance contributes to the indicator catalogue (found by the catalogue's autodiscovery
of each app's `indicators` module): site governance's figures, declared in its own module."""

from governance.sitegov import indicators  # noqa: F401
