"""A small, hand-made world for tests: two councils, three wards, one person per ward,
and one user of every role. Nothing here is generated, so tests can state exact counts."""

from datetime import date

import pytest

from alongside.accounts.models import Role, User
from alongside.codes.lookup import code
from alongside.community.models import CommunityGroup
from alongside.journeys.models import Activity, Engagement, Introduction
from alongside.people.models import ConsentRecord, Person
from alongside.places.models import Council, Ward

PASSWORD = "a-long-test-password"


def make_user(username, role, council=None, wards=()):
    user = User.objects.create_user(username, password=PASSWORD, role=role, council=council,
                                    first_name=username.title(), last_name="Tester")
    user.wards.set(wards)
    return user


def make_person(ref, ward, coordinator, given, level="L2", status="active", started=date(2025, 3, 1)):
    person = Person.objects.create(
        reference=ref, ward=ward, coordinator=coordinator, given_name=given, family_name="Example",
        age_band=code("age_band", "65-74"), gender=code("gender", "F"),
    )
    ConsentRecord.objects.create(person=person, status=code("consent_status", "given"),
                                 lawful_basis=code("lawful_basis", "6.1.e"),
                                 recorded_on=started, recorded_by=coordinator)
    intro = Introduction.objects.create(
        person=person, ward=ward, introduced_on=started, route=code("introduction_route", "gp"),
        level_requested=code("level_of_support", level), recorded_by=coordinator,
    )
    Engagement.objects.create(person=person, introduction=intro, coordinator=coordinator,
                              level=code("level_of_support", level),
                              status=code("engagement_status", status), started_on=started)
    Activity.objects.create(person=person, coordinator=coordinator,
                            activity=code("activity", "A1"), kind=code("activity", "home_visit"),
                            level=code("activity_level", "individual"), done_on=started, minutes=60)
    return person


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.north = Council.objects.create(name="Lowmere Council", ons_code="E06900000", nation="england",
                                     shares_with_network=True)
    w.south = Council.objects.create(name="Glasmoor Council", ons_code="E06900001", nation="england",
                                     shares_with_network=False)
    w.ward_a = Ward.objects.create(council=w.north, name="Ashley North", ons_code="E05900001",
                                   population=9000)
    w.ward_b = Ward.objects.create(council=w.north, name="Brookside", ons_code="E05900002",
                                   population=11000)
    w.ward_c = Ward.objects.create(council=w.south, name="Cwmbach", ons_code="E05900003",
                                   population=10000)
    w.coordinator_a = make_user("coord_a", Role.COORDINATOR, w.north, [w.ward_a])
    w.coordinator_b = make_user("coord_b", Role.COORDINATOR, w.north, [w.ward_b])
    w.coordinator_c = make_user("coord_c", Role.COORDINATOR, w.south, [w.ward_c])
    w.manager = make_user("manager_north", Role.MANAGER, w.north)
    w.manager_south = make_user("manager_south", Role.MANAGER, w.south)
    w.commissioner = make_user("commissioner_north", Role.COMMISSIONER, w.north)
    w.analyst = make_user("analyst", Role.ANALYST)
    w.admin = make_user("administrator", Role.ADMINISTRATOR)
    w.person_a = make_person("P-AAAAAAA", w.ward_a, w.coordinator_a, "Aled")
    w.person_b = make_person("P-BBBBBBB", w.ward_b, w.coordinator_b, "Bethan")
    w.person_c = make_person("P-CCCCCCC", w.ward_c, w.coordinator_c, "Ceri")
    w.group_a = CommunityGroup.objects.create(ward=w.ward_a, name="Ashley Lunch Club",
                                              type=code("group_type", "lunch_club"),
                                              where="Church hall", when="Thursdays 12 noon")
    w.group_b = CommunityGroup.objects.create(ward=w.ward_b, name="Brookside Men's Shed",
                                              type=code("group_type", "mens_shed"))
    return w


def signed_in(client, user):
    """Signed in with password and second factor, as after the two sign-in pages
    (tests/test_sign_in.py goes through those pages themselves)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def as_user(user):
        return signed_in(client, user)
    return as_user


@pytest.fixture(autouse=True)
def _code_lists(request):
    """Code lists are reference data loaded by a migration. Transactional tests (live
    server, bulk loading) end with a flush that empties every table, so put them back
    before any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if not marker and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("db")
    from alongside.codes.loader import load_codelists
    from alongside.codes.models import Code

    if not Code.objects.exists():
        load_codelists(Code)


@pytest.fixture(autouse=True)
def _own_folders(settings, tmp_path):
    """Each test its own audit checkpoints and work files, so none sees another's."""
    settings.ALONGSIDE_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite creating users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures (the site comparison) and the code catalogue must not leak from one
    test's data into another's (a rolled-back test sends no signal to clear them)."""
    from django.core.cache import cache

    from alongside.codes.lookup import forget_codes
    cache.clear()
    forget_codes()
    yield
    cache.clear()
    forget_codes()


def do_queued_work() -> None:
    """Do all queued background work here and now, as `alongside worker --batch` would."""
    from unittest import mock

    from django.core.management import call_command

    # The worker closes its connection between tasks when it is inside a transaction, which a
    # test always is: keep it open so the test's own data stay visible.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, interval=0)


@pytest.fixture
def worker(transactional_db):
    """A real worker, in a thread of the test process, for pages that wait for background work
    (the browser tests): it looks at the queue every 0.1 s until the test ends."""
    import threading

    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    w = Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[])

    def run():
        try:
            w.run()
        finally:
            connection.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    yield w
    w.running = False
    t.join(timeout=30)


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a request served in Welsh leaves its language active in the
    thread, and a message built outside a request afterwards would come out in Welsh."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
