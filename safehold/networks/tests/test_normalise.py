"""Entity resolution: every way of writing the same phone number, registration mark, bank
account or handle comes to one value, and different ones never do."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehold.networks import choices, graph
from safehold.networks.normalise import NotAValue, normalise, phone

# A UK number's ten national digits after the 0 (mobiles 7…, geographic 1… and 2…).
national = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("123578"),
    st.text("0123456789", min_size=9, max_size=9),
)
separators = st.lists(st.sampled_from(["", " ", "-", ".", " "]), min_size=12, max_size=12)


def _spread(digits: str, seps: list[str]) -> str:
    """The digits with separators between them, as people type them."""
    return "".join(d + s for d, s in zip(digits, seps, strict=False)).strip(" -.")


def _writings(digits: str, seps: list[str]) -> list[str]:
    spread = _spread(digits, seps)
    return [
        "0" + spread,
        "+44 " + spread,
        "+44" + digits,
        "0044-" + spread,
        "0044 " + digits,
        "+44 (0)" + spread,
        f"(0{digits[:4]}) {digits[4:7]} {digits[7:]}",
        f"  0{digits[:4]} {digits[4:]}  ",
        digits,
    ]


@settings(deadline=None)  # the machine is shared: time is not the property
@given(national, separators)
def test_any_writing_of_a_uk_number_is_one_phone_in_e164(digits, seps):
    assert {phone(w) for w in _writings(digits, seps)} == {"+44" + digits}


@settings(deadline=None)  # the machine is shared: time is not the property
@given(national, national, separators, separators)
def test_different_numbers_are_different_phones(a, b, seps_a, seps_b):
    if a != b:
        assert phone(_writings(a, seps_a)[0]) != phone(_writings(b, seps_b)[3])


@pytest.mark.parametrize(
    "written", ["07700 900123", "+44 7700 900123", "0044-7700-900123", "(07700) 900 123"]
)
def test_the_briefs_examples_are_one_phone(written):
    assert normalise("phone", written) == "+447700900123"


def test_a_foreign_number_keeps_its_country_code():
    assert normalise("phone", "+33 1 23 45 67 89") == "+33123456789"
    assert normalise("phone", "0033 1 23 45 67 89") == "+33123456789"


@pytest.mark.parametrize("written", ["0770 CALL ME", "123", "07700 900123 456", ""])
def test_what_cannot_be_a_phone_number_is_refused_with_a_message(written):
    with pytest.raises(NotAValue, match="Enter"):
        normalise("phone", written)


@settings(deadline=None)  # the machine is shared: time is not the property
@given(
    st.text("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=2, max_size=7),
    st.lists(st.sampled_from(["", " ", "-"]), min_size=7, max_size=7),
)
def test_a_registration_mark_is_upper_case_without_spaces(mark, seps):
    written = _spread(mark.lower(), seps)
    assert normalise("vehicle", written) == mark
    assert normalise("vehicle", mark) == mark


def test_a_bank_account_is_sort_code_and_number_as_digits():
    assert normalise("bank_account", "11-22-33 12345678") == "11223312345678"
    assert normalise("bank_account", "112233 1234567") == "11223301234567"
    with pytest.raises(NotAValue):
        normalise("bank_account", "11-22-33")


@settings(deadline=None)  # the machine is shared: time is not the property
@given(st.from_regex(r"[a-z0-9_.]{1,20}", fullmatch=True))
def test_a_handle_is_lower_case_without_its_at(handle):
    assert normalise("social_media", "@" + handle.upper()) == handle
    assert normalise("social_media", f" {handle} ") == handle


def test_a_weapon_is_never_resolved_to_another():
    assert normalise("weapon", "Kitchen knife") == ""


def test_the_choices_are_the_shared_networks_types():
    assert tuple(choices.ObjectKind.values) == graph.OBJECT_TYPES
    assert tuple(choices.EventKind.values) == graph.EVENT_TYPES
    assert tuple(choices.LinkType.values) == graph.LINK_TYPES
