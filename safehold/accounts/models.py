"""Partner organisations, their teams and their users."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models

from safehold.accounts.choices import AgencyKind, Role
from safehold.core.models import BaseModel


class Agency(BaseModel):
    """A partner organisation of the community safety partnership; it owns records."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    """A team within an agency, such as an exploitation team or a neighbourhood policing team."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, is_superuser=True, **fields)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person who signs in: one agency, one or more teams, one role."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    role = models.CharField(max_length=32, choices=Role.choices)
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        return False


class UserSession(models.Model):
    """Which session belongs to which user, so disabling a user can end every session at once."""

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_in_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class TotpDevice(BaseModel):
    """A user's authenticator app: the shared TOTP secret (RFC 6238, 30-second steps).

    The base32 secret is stored as it is: no encryption library is installed, and the
    database is already the system's most protected asset (ADR 0007). `last_used_step` is the
    time step of the last code accepted, so the same code cannot be used twice. `attempts`
    counts codes tried without a right one, at most MAX_CODE_ATTEMPTS in the lockout window.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    # Codes tried (authenticator or recovery) since `attempts_since` without a right one: each
    # is counted by one conditional UPDATE before it is checked, so parallel requests cannot
    # try more than the limit (accounts/services.py, `_count_attempt`).
    attempts = models.PositiveSmallIntegerField(default=0)
    attempts_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "TOTP device"

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"authenticator app of {self.user_id} ({state})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(BaseModel):
    """A one-use code for signing in without the authenticator app; only its salted hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"
