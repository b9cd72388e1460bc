"""alongside migrate_once: apply new migrations, one server at a time.

Two web servers started together by a deploy would otherwise both migrate at once; on
PostgreSQL an advisory lock makes the second wait and then find nothing left to do."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

LOCK = 4_172_015  # any number, the same in every Alongside process


class Command(BaseCommand):
    help = "Apply any migrations not yet applied, holding a lock so only one server does it."

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("SELECT pg_advisory_lock(%s)", [LOCK])
            try:
                call_command("migrate", interactive=False, verbosity=1)
            finally:
                with connection.cursor() as c:
                    c.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
        else:
            # SQLite is one machine's file: its own write lock already serialises migrations.
            call_command("migrate", interactive=False, verbosity=1)
