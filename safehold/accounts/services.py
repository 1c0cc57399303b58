"""Changes to agencies, teams and users: each audited in the same transaction."""

from django.contrib.sessions.models import Session
from django.db import transaction

from safehold import audit
from safehold.accounts.models import Agency, Team, User, UserSession
from safehold.audit.choices import Action


@transaction.atomic
def create_agency(*, name: str, kind: str, by: User | None = None) -> Agency:
    agency = Agency.objects.create(name=name, kind=kind)
    audit.record(action=Action.COLLECT, actor=by, target=agency, purpose="agency created")
    return agency


@transaction.atomic
def create_team(*, agency: Agency, name: str, by: User | None = None) -> Team:
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


@transaction.atomic
def disable_user(*, user: User, by: User | None) -> User:
    """Stop a user signing in and end every session they have, at once."""
    user.is_active = False
    user.save(update_fields=["is_active", "modified_at"])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=user,
        purpose=f"user disabled; {len(keys)} session(s) ended",
    )
    return user


@transaction.atomic
def enable_user(*, user: User, by: User | None) -> User:
    user.is_active = True
    user.save(update_fields=["is_active", "modified_at"])
    audit.record(action=Action.ALTER, actor=by, target=user, purpose="user enabled")
    return user
