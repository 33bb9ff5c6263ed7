import pytest


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    """The synonym table is cached in Redis; a rolled-back test's rows must not outlive it."""
    from catalog.synonyms import forget

    forget()
    yield
    forget()
