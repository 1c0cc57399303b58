"""Erasure of a case, a referral or a person with everything Safehold keeps with it.

- `selectors`: what an erasure would remove and what stops it (the confirmation page);
- `services`: the erasure itself, its log and its audit event.
"""
