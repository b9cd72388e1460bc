import time
from datetime import date

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.models import Role, User
from alongside.codes.loader import load_codelists
from alongside.codes.models import Code
from alongside.evidence.economics.model_file import financial_year_code, financial_year_start
from alongside.fidelity.demo import demo_reviews
from alongside.logic_models.versions import demo_model
from alongside.places.models import Council, ProgrammeCost, Ward
from alongside.synthetic import shape
from alongside.synthetic.generate import CouncilGenerator, CouncilSpec, Ids, WardSpec
from alongside.synthetic.load import next_ids, reset_sequences, write_batch

DEMO_PASSWORD = "alongside-demo"
WELSH_COUNCILS = {11, 19}  # Ystradfach and Pwllmawr


def _programme_costs(council: Council, wards: int, started: date) -> None:
    """One programme cost per financial year the council has run LAC (one Coordinator per ward)."""
    p = shape.PROGRAMME
    first, last = financial_year_start(started), financial_year_start(shape.DATA_END)
    ProgrammeCost.objects.bulk_create([
        ProgrammeCost(council=council, year=financial_year_code(y), coordinator_fte=wards,
                      salary=p["salary"], on_costs=p["on_costs"], management=p["management_per_ward"] * wards,
                      venues=p["venues_per_ward"] * wards, overheads=p["overheads"],
                      source="Synthetic demo figures")
        for y in range(first, last + 1)])


def ward_name(council: int, ward: int) -> str:
    stem = shape.PLACE_STEMS[(council + ward * 5) % len(shape.PLACE_STEMS)]
    end = shape.PLACE_ENDS[(ward + council) % len(shape.PLACE_ENDS)]
    quarter = ("North", "South", "East", "West", "Central")[ward % 5]
    return f"{stem}{end} {quarter}" + (f" {ward // 5 + 1}" if ward >= 5 else "")


class Command(BaseCommand):
    help = "Fill the database with realistic synthetic LAC data (never real people)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(shape.SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true",
                            help="Delete everything in the database first.")

    def handle(self, *args, scale, seed, replace, **options):
        if Council.objects.exists() or User.objects.exists():
            if not replace:
                raise CommandError(
                    "The database already holds data. Run with --replace to delete it and "
                    "load synthetic data instead."
                )
            self.stdout.write("Deleting existing data…")
            call_command("flush", interactive=False, verbosity=0)
        load_codelists(Code)  # idempotent; a flushed database has none
        spec = shape.SCALES[scale]
        rng = np.random.default_rng(seed)
        codes = {(c.list, c.code): c.pk for c in Code.objects.all()}
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user takes minutes
        ids = Ids(next_ids())
        started = time.monotonic()
        totals = {"people": 0, "activities": 0}
        self.stdout.write(
            f"Generating {scale} data (seed {seed}): {spec.councils} council(s) × "
            f"{spec.wards_per_council} wards × {spec.people_per_ward} people"
        )
        for i in range(spec.councils):
            council_spec = self._council(i, spec, rng, password)
            batch = CouncilGenerator(rng, council_spec, spec.people_per_ward, codes, ids).run()
            write_batch(batch)
            people, acts = batch.count("people.Person"), batch.count("journeys.Activity")
            totals["people"] += people
            totals["activities"] += acts
            self.stdout.write(
                f"  [{i + 1}/{spec.councils}] {council_spec.name}: {people:,} people, "
                f"{acts:,} activities ({time.monotonic() - started:.0f} s)"
            )
            self.stdout.flush()
        reset_sequences()
        self._shared_users(password)
        # Every demo user has an authenticator already; the demo shows its code (ALONGSIDE_DEMO=1,
        # set by scripts/start) on the two-factor page.
        TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="Demo authenticator", confirmed=True)
                                        for u in User.objects.filter(totpdevice__isnull=True)])
        for council in Council.objects.all():
            demo_model(council)
            demo_reviews(council)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Done in {time.monotonic() - started:.0f} s: {totals['people']:,} people, "
            f"{totals['activities']:,} activities."
        ))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, role in [("coordinator", "Coordinator, first ward"),
                               ("coordinator2", "Coordinator, second ward"),
                               ("manager", "Senior Coordinator / manager"),
                               ("commissioner", "Commissioner"), ("analyst", "Network analyst"),
                               ("admin", "Administrator")]:
            self.stdout.write(f"  {username:<14} {role}")

    @transaction.atomic
    def _council(self, i: int, spec, rng, password: str) -> CouncilSpec:
        welsh = i in WELSH_COUNCILS
        name = f"{shape.COUNCILS[i % len(shape.COUNCILS)]} Council"
        prefix = "W" if welsh else "E"
        council = Council.objects.create(
            name=name, ons_code=f"{prefix}06900{i:03d}", nation="wales" if welsh else "england",
            shares_with_network=(i == 0 or bool(rng.random() < 0.75)),
        )
        wards = Ward.objects.bulk_create([
            Ward(council=council,
                 name=ward_name(i, w),
                 ons_code=f"{prefix}059{i:02d}{w:03d}",
                 population=int(rng.integers(8000, 12001)))
            for w in range(spec.wards_per_council)
        ])
        p = "" if i == 0 else f"c{i + 1:02d}-"
        given = shape.GIVEN_NAMES
        users = [
            User(username=f"{p}coordinator{'' if w == 0 else w + 1}", password=password,
                 role=Role.COORDINATOR, council=council,
                 first_name=given[(i * 31 + w * 7) % len(given)], last_name="Coordinator")
            for w in range(len(wards))
        ]
        users += [
            User(username=f"{p}manager", password=password, role=Role.MANAGER, council=council,
                 first_name="Sam", last_name="Manager"),
            User(username=f"{p}commissioner", password=password, role=Role.COMMISSIONER,
                 council=council, first_name="Chris", last_name="Commissioner"),
        ]
        User.objects.bulk_create(users)
        coordinators = list(User.objects.filter(council=council, role=Role.COORDINATOR).order_by("id"))
        for user, ward in zip(coordinators, wards, strict=True):
            user.wards.add(ward)
        started = date(2017 + int(rng.integers(0, 5)), int(rng.integers(1, 13)), 1)
        _programme_costs(council, len(wards), started)
        return CouncilSpec(
            id=council.pk, name=name, lac_started=started,
            completeness=0.95 if i == 0 else float(rng.uniform(0.55, 0.97)),
            wards=[WardSpec(w.pk, w.name, u.pk) for w, u in zip(wards, coordinators, strict=True)],
        )

    def _shared_users(self, password: str) -> None:
        User.objects.bulk_create([
            User(username="analyst", password=password, role=Role.ANALYST,
                 first_name="Alex", last_name="Analyst"),
            User(username="admin", password=password, role=Role.ADMINISTRATOR, is_staff=True,
                 is_superuser=True, first_name="Ade", last_name="Administrator"),
        ])
