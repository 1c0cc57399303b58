"""Sign-in, sign-out and failed sign-in become audit events, whichever view or backend fired them.

django.contrib.auth announces these through signals only, so a receiver is the one place to
catch every route (the sign-in page, the test client, an admin shell).
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import UserSession
from safehold.audit.choices import Action, Outcome

SIGNED_IN_AT = "safehold_signed_in_at"
# The key of user_login_failed's credentials that says which step failed, when not the password.
FAILURE = "safehold_failure"


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    now = timezone.now()
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = now.timestamp()
        request.session.save()  # a session key is needed to track it
        UserSession.objects.update_or_create(
            session_key=request.session.session_key, defaults={"user": user, "signed_in_at": now}
        )
    audit.record(action=Action.LOGIN, actor=user, target=user, purpose="sign in")


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    if request is not None and getattr(request, "session", None) and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    audit.record(action=Action.LOGOUT, actor=user, target=user, purpose="sign out")


@receiver(user_login_failed)
def on_failed_sign_in(sender, credentials, request=None, **kwargs):
    # A wrong password comes from authenticate(); a wrong two-factor or recovery code from the
    # two-factor pages, which name the failure (and so reach django-axes' lockout the same way).
    username = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit.record(
        action=Action.LOGIN_FAILED,
        actor_label=username,
        purpose=str(credentials.get(FAILURE) or "failed sign-in"),
        outcome=Outcome.DENIED,
    )
