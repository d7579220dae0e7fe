import os
import shutil
from pathlib import Path

import pytest
from django.db import connection, connections

from accounts.roles import Role
from organizations.choices import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_sessionstart(session):
    if REQUIRE_SERVICES and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "psql")):
        raise pytest.UsageError("REQUIRE_SERVICES=1 需要 DATABASE_URL 指向 PostgreSQL。")


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool((marker is not None and marker.kwargs.get("transaction"))
                or fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"})


@pytest.fixture(autouse=True)
def _places_tables_after_a_flush(request):
    """A transactional test starts from flushed tables: load the division and country tables its members
    point at again (the migration loads them into the test database once)."""
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    _load_places_if_flushed()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing every table: load the place tables again, committed, so that
    the tests after it (each inside its own transaction) find them as the migration left them."""
    yield
    if nextitem is not None and _is_transactional(item):  # after the last test the test database is gone
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _load_places_if_flushed()


def pytest_collection_modifyitems(items):
    """Every database test may use the ``replica`` alias (config/db_router.py; a mirror of the test database)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            if not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
                continue
            marker = pytest.mark.django_db.mark
        if marker.kwargs.get("databases") == "__all__":
            continue
        databases = set(marker.kwargs.get("databases") or ["default"]) | {"replica"}
        item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "databases": sorted(databases)}),
                        append=False)


@pytest.fixture(autouse=True)
def _replica_shares_the_primary_connection(request):
    """A second connection to the test database would not see the test's uncommitted rows: read the replica
    through the primary's connection, unless the test asks for ``separate_replica_connection``."""
    if "separate_replica_connection" in request.fixturenames:
        yield
        return
    replica = connections["replica"]
    connections["replica"] = connections["default"]
    yield
    connections["replica"] = replica


def _load_places_if_flushed():
    from places.loader import load_places
    from places.models import Country, Division, TableEdition

    if not Division.objects.exists():
        load_places(Division, Country, TableEdition)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Close the replica's own connection (opened by Django's checks of each alias) before the test database goes.

    A database kept from an earlier run (``--reuse-db``) may have been flushed by its last transactional test:
    the division and country tables the migration loaded are loaded again."""
    with django_db_blocker.unblock():
        _load_places_if_flushed()
    yield
    connections["replica"].close()


@pytest.fixture
def separate_replica_connection(transactional_db):
    """The replica alias on its own connection (committed rows only), to see which queries go to it."""
    return connections["replica"]


def skip_or_fail(reason: str):
    """Without the service: skip, unless CI demands the services (then fail)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        skip_or_fail("this test needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        skip_or_fail("this test needs Redis (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at REDIS_URL is not reachable: {exc}")
    return url


@pytest.fixture
def tree(db):
    """county → town A (branch A1, A2), town B (branch B1)."""
    county = OrganizationFactory(name="测试县委", kind=OrganizationKind.COUNTY_COMMITTEE,
                                 division_code="222424")  # 吉林省延边朝鲜族自治州汪清县
    town_a = OrganizationFactory(parent=county, name="甲镇党委", kind=OrganizationKind.TOWN_COMMITTEE)
    town_b = OrganizationFactory(parent=county, name="乙镇党委", kind=OrganizationKind.TOWN_COMMITTEE)
    branch_a1 = OrganizationFactory(parent=town_a, name="甲一村党支部")
    branch_a2 = OrganizationFactory(parent=town_a, name="甲二村党支部")
    branch_b1 = OrganizationFactory(parent=town_b, name="乙一村党支部")
    return type("Tree", (), dict(county=county, town_a=town_a, town_b=town_b,
                                 branch_a1=branch_a1, branch_a2=branch_a2, branch_b1=branch_b1))


@pytest.fixture
def secretary_a1(tree):
    return UserFactory(organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)


@pytest.fixture
def secretary_b1(tree):
    return UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)


@pytest.fixture
def reviewer_a(tree):
    return UserFactory(organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)


@pytest.fixture
def county_admin(tree):
    return UserFactory(organization=tree.county, role=Role.DEPARTMENT_ADMIN)


@pytest.fixture
def staff_user(tree):
    return UserFactory(organization=tree.county, role=Role.ROSTER_STAFF)


BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (Playwright's own browser download is not used)."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # in the test itself is still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def browser_login(page, username, password="pass-12345-word"):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
