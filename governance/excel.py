"""What governance contributes to the Excel pipeline (found by the kernel's autodiscovery of each
app's `excel` module, so that a worker that never loads the URLs knows the workbooks): site
governance's workbooks, declared in its own module."""

from governance.sitegov import excel  # noqa: F401
