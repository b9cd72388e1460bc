"""alongside backup / alongside restore: a round trip leaves every table identical."""

import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from alongside.audit import chain
from alongside.codes.lookup import code
from alongside.journeys.models import Story
from alongside.people.models import Person


def every_table() -> dict[str, list[tuple]]:
    """Each table's rows, read with plain SQL rather than through the code under test."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            tables[table] = cursor.fetchall()
    return tables


@pytest.fixture
def lived_in(world, login):
    """The world after some use: page views (audit entries, sessions), a story with codes."""
    client = login(world.coordinator_a)
    client.get(reverse("person", args=["P-AAAAAAA"]))
    story = Story.objects.create(ward=world.ward_a, person=world.person_a, title="Tea at the lunch club",
                                 written_on=date(2025, 7, 1), before="b", what_happened="w", what_changed="c")
    story.codes.set([code("outcome", "STO1"), code("outcome", "STO2")])
    return world


def test_a_backup_restores_every_table_identically(lived_in, tmp_path):
    before = every_table()
    assert len(before["journeys_story_codes"]) == 2 and len(before["accounts_user_wards"]) == 3
    assert before["django_session"] and before["audit_auditevent"]
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))

    # Lose data after the backup; the restore must bring back exactly what was backed up.
    Person.objects.filter(reference="P-BBBBBBB").delete()
    Story.objects.all().delete()
    assert every_table() != before

    call_command("restore", str(archive), "--replace")
    after = every_table()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert chain.verify().intact
    # New rows continue after the restored ids rather than colliding with them.
    new = Person.objects.create(reference="P-NEW0001", ward=lived_in.ward_a, given_name="New")
    assert new.pk > max(row[0] for row in before["people_person"])


def _damage(archive, member):
    damaged = archive.with_name("damaged.zip")
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == member:
                data = data.replace(b"Aled", b"Alan")
            dst.writestr(item, data)
    return damaged


def test_a_damaged_backup_is_refused_and_the_database_left_alone(lived_in, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    damaged = _damage(archive, "data/people.Person.jsonl")
    before = every_table()
    with pytest.raises(CommandError, match=r"data/people.Person.jsonl \(people.Person\) is damaged"):
        call_command("restore", str(damaged), "--replace")
    assert every_table() == before


def test_restoring_over_records_needs_replace(lived_in, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="already holds people or users; restore with --replace"):
        call_command("restore", str(archive))


def test_a_file_that_is_not_a_backup_gets_a_clear_message(db, tmp_path):
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    with pytest.raises(CommandError, match="not a zip file, so not an Alongside backup"):
        call_command("restore", str(not_zip))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.zip"))


def test_a_backup_is_readable_by_its_owner_only(db, tmp_path):
    import os
    import stat

    old = os.umask(0o022)  # the usual umask, which would make a new file 0644
    try:
        call_command("backup", str(tmp_path / "b.zip"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.zip").stat().st_mode) == 0o600
