"""alongside api_token create|list|revoke — tokens for the REST API.

  alongside api_token create --user NAME --name "front door" [--council NAME] [--write] [--quiet]
  alongside api_token list [--user NAME]
  alongside api_token revoke ID
"""

from django.core.management.base import BaseCommand, CommandError

from alongside.accounts.models import User
from alongside.api import tokens
from alongside.api.models import ApiToken
from alongside.places.lookup import council_named


class Command(BaseCommand):
    help = "Make, list and revoke API tokens. A token's secret is shown once, when it is made."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("create", help="make a token")
        make.add_argument("--user", required=True, help="the account it acts as (for an "
                          "integration, an account of its own)")
        make.add_argument("--name", required=True, help="what will use it")
        make.add_argument("--council", help="limit it to this council")
        make.add_argument("--write", action="store_true", help="allow it to record (POST)")
        make.add_argument("--quiet", action="store_true", help="print only the secret")
        listing = sub.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--user")
        gone = sub.add_parser("revoke", help="stop a token working, at once")
        gone.add_argument("id", type=int)

    def handle(self, *args, action: str, **o):
        getattr(self, f"_{action}")(**o)

    def _create(self, user, name, council, write, quiet, **o):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user '{user}'.")
        try:
            token, secret = tokens.make(account, name, council_named(council) if council else None, write)
        except ValueError as e:
            raise CommandError(str(e)) from None
        if quiet:
            self.stdout.write(secret)
            return
        self.stdout.write(f"Token {token.pk} for {account.username} ({account.get_role_display()}), "
                          f"{'read and write' if write else 'read only'}"
                          f"{f', {token.council.name} only' if token.council else ''}:")
        self.stdout.write(f"  {secret}")
        self.stdout.write("Keep it secret: it is not stored and cannot be shown again.")

    def _list(self, user=None, **o):
        qs = ApiToken.objects.select_related("user", "council")
        if user:
            qs = qs.filter(user__username=user)
        for t in qs:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "live"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(f"{t.pk:>5}  {t.prefix}…  {t.user.username:<16} {t.name:<24} "
                              f"{'rw' if t.can_write else 'r '}  {t.council.name if t.council else '-':<16} "
                              f"last used {used:<16}  {state}")

    def _revoke(self, id, **o):
        token = ApiToken.objects.filter(pk=id).first()
        if token is None:
            raise CommandError(f"No token {id}.")
        tokens.revoke(token)
        self.stdout.write(f"Token {id} ({token.name}) revoked.")
