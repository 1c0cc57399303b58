"""The one use case of this app: build an application bundle, audited as a disclosure by
export naming who it is for. The page, the API-less command line and the tests all call it."""

from collections.abc import Iterable

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.cases.models import EnforcementAction
from safehold.core.errors import NotPermitted, ServiceError
from safehold.enforcement import bundle as bundles
from safehold.enforcement import rules, selectors
from safehold.enforcement.choices import BUNDLE_KINDS, Recipient, Section


class BundleError(ServiceError):
    """A bundle asked for in a way that cannot be built (no recipient, not a court action)."""


@transaction.atomic
def build_bundle(
    *,
    action: EnforcementAction,
    by,
    recipients: Iterable[str],
    sections: Iterable[str] = tuple(Section.values),
) -> bytes:
    """The action's application bundle as one PDF, built now from what Safehold holds.

    `by` is the user building it (None: the server's operator, from the command line). The
    build is recorded as a disclosure by export naming the case, the premises, the documents,
    the people shown and the recipients (by their part, never a name); it is never cached.
    """
    if by is not None and not (
        selectors.bundle_actions_visible_to(by).filter(pk=action.pk).exists()
        and rules.can_build_bundle(by, action)
    ):
        raise NotPermitted("You cannot build this bundle")
    if action.kind not in BUNDLE_KINDS:
        raise BundleError(
            "Only a closure notice, a closure order or a civil injunction has an application bundle"
        )
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        raise BundleError("Select who the bundle is for")
    unknown = set(recipients) - set(Recipient.values)
    if unknown:
        raise BundleError(f"Unknown recipient: {sorted(unknown)[0]}")
    sections = [s for s in sections if s in Section.values]
    built = bundles.assemble(
        action=action,
        user=by,
        recipients=recipients,
        sections=sections,
        built_by=f"{by}, {by.agency}" if by is not None else "the system operator",
    )
    pdf = bundles.pdf_of(built)
    audit.record(
        action=Action.DISCLOSE,
        actor=by,
        target=action,
        object_ids=built.audit_objects(),
        subjects=built.audit_subjects(),
        purpose=(
            f"{action.case.reference}: application bundle ({action.get_kind_display().lower()}) "
            f"for {', '.join(Recipient(r).label.lower() for r in recipients)}; sections: "
            f"{', '.join(sorted(built.sections)) or 'cover and index only'}; "
            f"{len(built.lines)} chronology lines, {len(built.exhibits)} documents"
        ),
        channel=Channel.EXPORT,
    )
    return pdf
