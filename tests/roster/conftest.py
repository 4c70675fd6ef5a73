import pytest


@pytest.fixture
def inline_imports(settings):
    """Run an uploaded file's import when the upload commits, instead of in a thread."""
    settings.ROSTER_IMPORT_INLINE = True
