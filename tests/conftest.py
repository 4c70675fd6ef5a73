import os

os.environ.setdefault("SUTIAO_TESTING", "1")

import pytest  # noqa: E402

# Browser tests: the `chromium`, `in_browser` and `artifacts` fixtures (tests/browser_support.py).
pytest_plugins = ["tests.browser_support"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "rule(*ids): the rules of the register (src/sutiao/rules.toml) the test exercises",
    )
    config.addinivalue_line("markers", "once: run in one database pass of .ci/run only (ONCE)")


# Tests whose cost is a data set, a tool or a whole platform of their own, and whose database
# work the rest of the suite covers on both databases: marked `once`, so that .ci/run's second
# pass (PostgreSQL) leaves them out with `-m "not once"` and CI stays inside its hour. The
# README's test command runs them like any other.
ONCE = (
    "tests/browser/test_every_page.py",  # every page of every role at 360 px, with axe
    "tests/browser/test_screenshots.py",
    "tests/meetings/test_janus_room.py",  # its own pytest, database and Janus in a namespace
    "tests/docking/test_two_instances.py",  # two instances with SQLite databases of their own
    "tests/docking/test_live_instance.py",
    "tests/docking/test_schemathesis_docking.py",
    "tests/evaluation/test_figures_match_sql.py",  # 50,000 generated cases
    "tests/evaluation/test_reports.py",
    "tests/security/test_access_matrix.py",  # the demo, 7 roles x every operation
)


def pytest_collection_modifyitems(items):
    """A `rule` marker must name registered rules: an unknown id fails the collection."""
    from tests.rules_register import unknown

    for item in items:
        if item.nodeid.startswith(ONCE):
            item.add_marker(pytest.mark.once)

    problems = []
    for item in items:
        for mark in item.iter_markers("rule"):
            bad = unknown(mark.args) if mark.args else ["(no id)"]
            bad += [f"{k}=… (ids are positional)" for k in mark.kwargs]
            if bad:
                problems.append(f"{item.nodeid}: rule({', '.join(bad)})")
    if problems:
        raise pytest.UsageError(
            "rule markers that name no rule of src/sutiao/rules.toml:\n  " + "\n  ".join(problems)
        )


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _audit_files_per_test(settings, tmp_path):
    """Each test's audit checkpoints and signing key live in its own directory: the chain of
    one test's database must not be checked against another test's checkpoints."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "audit-keys" / "audit_signing_key.pem"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from data migrations; a transactional test (live server, browser)
    flushes every table when it ends, so the next database test puts it back first."""
    names = set(request.fixturenames)  # with those its fixtures ask for (`world` → `db`)
    marker = request.node.get_closest_marker("django_db")
    if not names & {"db", "transactional_db", "live_server"} and not marker:
        yield
        return
    transactional = names & {"transactional_db", "live_server"} or (
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from tests.reference_data import put_back

    put_back()
    yield


@pytest.fixture(autouse=True)
def _calendar_snapshot_per_test():
    """Each test's calendar changes roll back with its transaction; the process's snapshot of
    the calendar must not outlive them (production's changes commit, and commits reset it)."""
    yield
    from sutiao.workdays import schedule

    schedule.reset()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles and kept verdicts live in Django's cache (per process in tests): each test
    starts with none, as a test's rows start with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
