from pathlib import Path

from django.core.management.base import BaseCommand

from alongside.accounts.models import Role, User
from alongside.places.models import Council, Ward
from alongside.synthetic.legacy import SITES, write_all


def ensure_sites(password: str | None = None) -> None:
    """The three legacy councils, their wards and a Coordinator per ward (idempotent)."""
    for site in SITES:
        council, _ = Council.objects.get_or_create(
            name=site.council, defaults={"ons_code": site.ons_code, "nation": site.nation,
                                         "shares_with_network": True})
        for w, (name, code, population) in enumerate(site.wards, start=1):
            ward, _ = Ward.objects.get_or_create(ons_code=code, defaults={
                "council": council, "name": name, "population": population})
            username = f"{site.slug}-coordinator{w}"
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(username, password=password, role=Role.COORDINATOR,
                                                council=council, first_name=name.split()[0],
                                                last_name="Coordinator")
                if password is None:
                    user.set_unusable_password()
                    user.save()
                user.wards.add(ward)


class Command(BaseCommand):
    help = ("Write three synthetic legacy council spreadsheets (CSV, XLSX, CSV) with their mapping "
            "files, and add the three councils and their wards to the database.")

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/legacy", help="folder for the files")
        parser.add_argument("--rows", type=int, default=400, help="rows per spreadsheet")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, out, rows, seed, **options):
        ensure_sites()
        for sheet, mapping in write_all(Path(out), rows, seed):
            self.stdout.write(f"alongside import {sheet} --mapping {mapping}")
