"""Changes to agencies, teams and users: each audited in the same transaction."""

import datetime
import hashlib
import hmac
import secrets
import time

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, RecoveryCode, Team, TotpDevice, User, UserSession
from safehold.accounts.rules import can_manage_users
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted, ServiceError


@transaction.atomic
def create_agency(*, name: str, kind: str, by: User | None = None) -> Agency:
    agency = Agency.objects.create(name=name, kind=kind)
    audit.record(action=Action.COLLECT, actor=by, target=agency, purpose="agency created")
    return agency


class TeamError(ServiceError):
    """A team that cannot be added (a blank or repeated name)."""


@transaction.atomic
def create_team(*, agency: Agency, name: str, by: User | None = None) -> Team:
    """Add a team to an agency: by an administrator of that agency, or by Safehold itself
    (`by=None`: the demo, the command line)."""
    if by is not None and not (can_manage_users(by) and by.agency_id == agency.pk):
        raise NotPermitted(f"You cannot add a team to {agency.name}")
    name = " ".join(name.split())
    if not name:
        raise TeamError("Enter the team's name")
    existing = Team.objects.filter(agency=agency, name__iexact=name).first()
    if existing is not None:
        raise TeamError(f"{agency.name} already has a team called {existing.name}")
    team = Team.objects.create(agency=agency, name=name)
    audit.record(action=Action.COLLECT, actor=by, target=team, purpose="team created")
    return team


@transaction.atomic
def create_user(
    *,
    email: str,
    full_name: str,
    agency: Agency,
    role: str,
    password: str | None,
    teams: list[Team] = (),
    job_title: str = "",
    by: User | None = None,
) -> User:
    user = User.objects.create_user(
        email, password, full_name=full_name, agency=agency, role=role, job_title=job_title
    )
    if teams:
        user.teams.set(teams)
    audit.record(action=Action.COLLECT, actor=by, target=user, purpose="user created")
    return user


class UserChangeError(ServiceError):
    """A change to a user that cannot be made (a team of another agency, their own account)."""


def require_administrator_of(by: User | None, user: User) -> None:
    """Only an administrator of the user's own agency manages them (None: the command line)."""
    if by is None:
        return
    if not can_manage_users(by) or by.agency_id != user.agency_id:
        raise NotPermitted("Only an administrator of their organisation may change this user")


@transaction.atomic
def add_user(
    *, email: str, full_name: str, role: str, teams: list[Team], job_title: str = "", by: User
) -> tuple[User, str]:
    """An administrator adds a colleague to their own agency; returns the user and a first
    password (shown once, never kept in clear): they set up two-factor sign-in with it."""
    if not can_manage_users(by):
        raise NotPermitted("Only an administrator may add users")
    if any(team.agency_id != by.agency_id for team in teams):
        raise UserChangeError("Choose teams of your own organisation")
    password = "-".join(secrets.token_urlsafe(4) for _ in range(4))
    user = create_user(
        email=email, full_name=full_name, agency=by.agency, role=role, password=password,
        teams=teams, job_title=job_title, by=by,
    )  # fmt: skip
    return user, password


@transaction.atomic
def change_user(*, user: User, role: str, teams: list[Team], by: User | None) -> User:
    """Change a user's role and teams (within their agency); audited with what changed."""
    require_administrator_of(by, user)
    if any(team.agency_id != user.agency_id for team in teams):
        raise UserChangeError("Choose teams of their own organisation")
    if by is not None and by.pk == user.pk and role != user.role:
        raise UserChangeError("Ask another administrator to change your own role")
    changed = []
    if role != user.role:
        user.role = role
        user.save(update_fields=["role", "modified_at"])
        changed.append("role")
    if {t.pk for t in teams} != set(user.teams.values_list("pk", flat=True)):
        user.teams.set(teams)
        changed.append("teams")
    if changed:
        purpose = f"user changed: {', '.join(changed)}"
        audit.record(action=Action.ALTER, actor=by, target=user, purpose=purpose)
    return user


@transaction.atomic
def disable_user(*, user: User, by: User | None) -> User:
    """Stop a user signing in and end every session they have, at once."""
    require_administrator_of(by, user)
    if by is not None and by.pk == user.pk:
        raise UserChangeError("You cannot disable your own account")
    user.is_active = False
    user.save(update_fields=["is_active", "modified_at"])
    ended = _end_sessions(user)
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=user,
        purpose=f"user disabled; {ended} session(s) ended",
    )
    return user


def _end_sessions(user: User) -> int:
    """Delete every signed-in session of the user (the caller audits why); return how many."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def enable_user(*, user: User, by: User | None) -> User:
    user.is_active = True
    user.save(update_fields=["is_active", "modified_at"])
    audit.record(action=Action.ALTER, actor=by, target=user, purpose="user enabled")
    return user


# Two-factor sign-in (ADR 0007): TOTP codes from an authenticator app, 30-second steps; the
# code of the current step and of the one before it are accepted (a code typed as it rolls
# over still works), and a step, once used, is refused (no replay).
TOTP_STEP_SECONDS = 30
TOTP_VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# Codes (authenticator or recovery) a user may try without a right one, within django-axes'
# lockout window; counted per account, so parallel requests and new sessions share the limit.
MAX_CODE_ATTEMPTS = 5


class TooManyAttempts(Exception):
    """The user has tried MAX_CODE_ATTEMPTS wrong codes in the window; the code was not checked."""


def _attempt_window() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "AXES_COOLOFF_TIME", 0.5))


def _count_attempt(user: User) -> None:
    """Count one code attempt before it is checked, or raise TooManyAttempts. One conditional
    UPDATE: the row lock it takes makes concurrent attempts queue, and each sees the count the
    previous one left, so at most MAX_CODE_ATTEMPTS codes are ever checked in a window."""
    now = timezone.now()
    fresh = Q(attempts_since__isnull=True) | Q(attempts_since__lt=now - _attempt_window())
    counted = (
        TotpDevice.objects.filter(user=user)
        .filter(fresh | Q(attempts__lt=MAX_CODE_ATTEMPTS))
        .update(
            attempts=Case(When(fresh, then=Value(1)), default=F("attempts") + 1),
            attempts_since=Case(When(fresh, then=Value(now)), default=F("attempts_since")),
        )
    )
    if not counted and TotpDevice.objects.filter(user=user).exists():
        raise TooManyAttempts(user.email)


def _clear_attempts(user: User) -> None:
    TotpDevice.objects.filter(user=user).update(attempts=0, attempts_since=None)


def _matching_step(device: TotpDevice, code: str) -> int | None:
    """The time step whose code `code` is (current or previous step), if not already used."""
    totp = pyotp.TOTP(device.secret, interval=TOTP_STEP_SECONDS)
    now = totp.timecode(time.time())
    for step in range(now, now - TOTP_VALID_WINDOW - 1, -1):
        if step > device.last_used_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(device: TotpDevice, code: str) -> bool:
    """Accept `code` once: the conditional update means two requests racing with the same
    code cannot both win."""
    step = _matching_step(device, code)
    if step is None:
        return False
    won = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step, modified_at=timezone.now()
    )
    device.last_used_step = step
    return bool(won)


def _hash_recovery_code(code: str, salt: str | None = None) -> str:
    # A random 40-bit code behind a password: a fast salted hash is enough (ADR 0007), and it
    # keeps checking up to ten codes cheap.
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${normalise_recovery_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def _recovery_code_matches(code: str, code_hash: str) -> bool:
    try:
        _, salt, _ = code_hash.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(_hash_recovery_code(code, salt), code_hash)


def normalise_recovery_code(code: str) -> str:
    """Recovery codes are read off paper: ignore case, spaces and the hyphen."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join(
            "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(4)) for _ in range(2)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash_recovery_code(code)) for code in codes
    )
    return codes


class TwoFactorAlreadySetUp(Exception):
    """Set-up was asked for a user whose authenticator app is already confirmed."""


@transaction.atomic
def begin_totp_setup(*, user: User) -> TotpDevice:
    """The device being set up: a new secret, or the one already shown if set-up was left
    half-way (so a QR code already scanned keeps working). Not audited: an unconfirmed secret
    lets nobody sign in; confirming it is audited."""
    device, _ = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    if device.is_confirmed:
        raise TwoFactorAlreadySetUp(user.email)
    return device


@transaction.atomic
def confirm_totp_setup(*, device: TotpDevice, code: str) -> list[str] | None:
    """Confirm the authenticator app with a code from it; return the new recovery codes to show
    once (only their hashes are kept), or None if the code is wrong."""
    device = TotpDevice.objects.select_for_update().get(pk=device.pk)
    if device.is_confirmed:
        raise TwoFactorAlreadySetUp(device.user.email)
    _count_attempt(device.user)
    if not _use_step(device, code):
        return None
    _clear_attempts(device.user)
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at", "modified_at"])
    codes = _new_recovery_codes(device.user)
    audit.record(
        action=Action.ALTER,
        actor=device.user,
        target=device.user,
        purpose=f"two-factor set up; {len(codes)} recovery codes issued",
    )
    return codes


@transaction.atomic
def verify_totp(*, user: User, code: str) -> bool:
    """Check a code from the user's confirmed authenticator app and use it up.

    A wrong code is audited by the caller as a failed sign-in (it must also reach django-axes,
    which needs the request), so it is not recorded here. Raises TooManyAttempts, without
    checking the code, once MAX_CODE_ATTEMPTS wrong codes were tried in the window.
    """
    _count_attempt(user)
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None or not _use_step(device, code):
        return False
    _clear_attempts(user)
    return True


@transaction.atomic
def use_recovery_code(*, user: User, code: str) -> int | None:
    """Use up one of the user's recovery codes; return how many are left, or None if the code
    is not one of their unused codes."""
    _count_attempt(user)
    unused = list(RecoveryCode.objects.select_for_update().filter(user=user, used_at=None))
    match = next((rc for rc in unused if _recovery_code_matches(code, rc.code_hash)), None)
    if match is None:
        return None
    _clear_attempts(user)
    match.used_at = timezone.now()
    match.save(update_fields=["used_at", "modified_at"])
    left = len(unused) - 1
    audit.record(
        action=Action.ALTER,
        actor=user,
        target=user,
        purpose=f"recovery code used to sign in; {left} left",
    )
    return left


@transaction.atomic
def regenerate_recovery_codes(*, user: User, code: str) -> list[str] | None:
    """Replace the user's recovery codes, proven by a current code from their authenticator
    app; return the new codes to show once, or None if the code is wrong."""
    if not verify_totp(user=user, code=code):
        return None
    codes = _new_recovery_codes(user)
    audit.record(
        action=Action.ALTER,
        actor=user,
        target=user,
        purpose=f"recovery codes replaced; {len(codes)} issued",
    )
    return codes


@transaction.atomic
def enrol_authenticator(*, user: User, secret: str, by: User | None) -> TotpDevice:
    """Give a user a confirmed authenticator app with a known secret, without their typing a
    code: only for the demo's invented users, whose codes `safehold demo code` prints, so a
    newcomer signs in with two commands. A real user sets theirs up at their first sign-in."""
    device, _ = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now()}
    )
    audit.record(action=Action.ALTER, actor=by, target=user, purpose="authenticator app enrolled")
    return device


@transaction.atomic
def reset_two_factor(*, user: User, by: User | None) -> User:
    """Forget the user's authenticator app and recovery codes and end their sessions: they set
    up two-factor sign-in again the next time they sign in."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    ended = _end_sessions(user)
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=user,
        purpose=f"two-factor reset; {ended} session(s) ended",
    )
    return user
