"""`safehold api token create EMAIL --name NAME`, `… token revoke PREFIX`, `… token list`."""

from django.core.management.base import BaseCommand, CommandError

from safehold.accounts.models import User
from safehold.api import selectors, services
from safehold.api.models import ApiToken


class Command(BaseCommand):
    help = "Partner API tools: issue, list and revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subject", required=True)
        token = sub.add_parser("token", help="API tokens for partner systems.")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Issue a token for a user and print it (it is shown only once)."
        )
        create.add_argument("email", help="The user the partner system acts as.")
        create.add_argument("--name", required=True, help="What the token is for.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The token's prefix, as `token list` shows it.")
        listing = actions.add_parser("list", help="List tokens (never the tokens themselves).")
        listing.add_argument("email", nargs="?", default="", help="Only this user's tokens.")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, email: str, name: str, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist as exc:
            raise CommandError(f"There is no user with the email address {email}") from exc
        try:
            token, key = services.create_token(user=user, name=name, by=None)
        except services.TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Token {token.key_prefix} for {user.email} ({token.name}). "
            "Copy it now: it is not stored and cannot be shown again.\n"
        )
        self.stdout.write(key)

    def _revoke(self, *, prefix: str, **options):
        try:
            token = ApiToken.objects.get(key_prefix=prefix.strip())
        except ApiToken.DoesNotExist as exc:
            raise CommandError(f"There is no token with the prefix {prefix}") from exc
        try:
            services.revoke_token(token=token, by=None)
        except services.TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Token {token.key_prefix} revoked."))

    def _list(self, *, email: str, **options):
        for token in selectors.tokens(email=email):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.is_revoked else "live"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.key_prefix}  {token.user.email}  {token.name}  "
                f"created {token.created_at:%Y-%m-%d}  last used {used}  {state}"
            )
