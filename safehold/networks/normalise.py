"""Entity resolution of objects: the one normalised value that every way of writing the same
phone number, registration mark, bank account or handle comes to, so that a phone recorded by
the police as "+44 7700 900123" and by a landlord as "07700 900123" is one phone (ADR 0050).

No Django here: the rules are tested on their own, with Hypothesis.
"""

import re

from safehold.core.errors import ServiceError


class NotAValue(ServiceError):
    """The value cannot be what its kind says (a phone number with letters in it)."""


_PHONE_PUNCTUATION = re.compile(r"[\s\-.()/]")


def phone(value: str) -> str:
    """E.164: `+447700900123` for a UK number written nationally (07700 900123), with +44 or
    0044 (with or without the "(0)" people write after it), or as its ten digits alone; other
    countries' numbers written with + or 00 keep their country code."""
    text = value.strip().replace("(0)", "")
    text = _PHONE_PUNCTUATION.sub("", text)
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00"):
        digits = text[2:]
    elif text.startswith("0"):
        digits = "44" + text[1:]
    else:
        digits = "44" + text
    if not digits.isdigit() or not digits.isascii():
        raise NotAValue("Enter a phone number, like 07700 900123 or +44 7700 900123")
    if digits.startswith("440"):  # +44 0… : the national 0 written after the country code
        digits = "44" + digits[3:]
    if digits.startswith("44") and len(digits) not in (11, 12):
        raise NotAValue("Enter a UK phone number with 10 or 11 digits, like 07700 900123")
    if not 8 <= len(digits) <= 15:
        raise NotAValue("Enter a phone number, like 07700 900123 or +44 7700 900123")
    return "+" + digits


def vrm(value: str) -> str:
    """A vehicle registration mark upper-cased without spaces or hyphens: `AB12CDE`."""
    text = re.sub(r"[\s\-]", "", value).upper()
    if not (2 <= len(text) <= 8 and text.isalnum() and text.isascii()):
        raise NotAValue("Enter a vehicle registration mark, like AB12 CDE")
    return text


def bank_account(value: str) -> str:
    """Sort code and account number as 14 digits (`11223312345678`); a 6- or 7-digit account
    number is padded with leading zeros to 8, as the banks do."""
    digits = re.sub(r"[\s\-/]", "", value)
    if not digits.isdigit() or not digits.isascii() or not 12 <= len(digits) <= 14:
        raise NotAValue("Enter a sort code and account number, like 11-22-33 12345678")
    return digits[:6] + digits[6:].rjust(8, "0")


def handle(value: str) -> str:
    """A social-media handle lower-cased, without spaces or a leading @."""
    text = value.strip().lstrip("@").lower()
    if not text or any(c.isspace() for c in text):
        raise NotAValue("Enter a social media handle, like @name")
    return text


_RULES = {"phone": phone, "vehicle": vrm, "bank_account": bank_account, "social_media": handle}


def normalise(kind: str, value: str) -> str:
    """The value every record of this object comes to; "" for a kind that is never resolved
    (a weapon is described, not identified: two knives are two knives)."""
    if not value.strip():
        raise NotAValue("Enter the object's number, mark or description")
    rule = _RULES.get(kind)
    return rule(value) if rule else ""
