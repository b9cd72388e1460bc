"""alongside setup: on an empty database, the first administrator, who does the rest in the
browser (Configuration: councils and wards, then the people who use Alongside)."""

import getpass
import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alongside.accounts.models import Role, User
from alongside.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Create the first administrator of a new Alongside (refused once anyone has an account)"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="their full name, as shown in the audit trail")

    def handle(self, *args, username, email, name, **options):
        if User.objects.exists():
            raise CommandError(f"Alongside is already set up ({User.objects.count()} accounts): an "
                               "administrator adds people in Configuration")
        # From the environment for an unattended install (a container's first start); asked
        # for, twice and unseen, otherwise.
        password = os.environ.get("ALONGSIDE_SETUP_PASSWORD") or self._ask()
        user = User(username=username, email=email, role=Role.ADMINISTRATOR)
        user.first_name, _, user.last_name = name.partition(" ")
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError("The password is not strong enough: " + " ".join(e.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            AuditEvent.objects.create(user=user, username=user.username, role=user.role,
                                      action=AuditEvent.Action.CREATE, path="setup",
                                      detail={"what": "first administrator"})
        self.stdout.write(
            f"{username} is Alongside's first administrator. Sign in at "
            f"{settings.ALONGSIDE_BASE_URL.rstrip('/')}/sign-in/ and set up the second factor (an "
            "authenticator app); then, under Configuration, add the council and its wards.")

    def _ask(self) -> str:
        first = getpass.getpass("Password for the first administrator: ")
        if first != getpass.getpass("The same password again: "):
            raise CommandError("The two passwords are not the same: nothing was created")
        return first
