"""Control characters (a NUL byte above all) in any input are refused with a 400 before any
view or query sees them: on PostgreSQL a NUL made every search a 500."""

import pytest
from django.urls import reverse

from safehold.audit.models import AuditEvent
from safehold.core.text import describe_control_character, has_control_character
from safehold.people.models import Person

SEARCHES = [
    ("cases:list", "q"),
    ("cases:export", "q"),
    ("people:list", "q"),
    ("people:location-list", "q"),
    ("sharing:who-else", "q"),
]


@pytest.mark.parametrize(("name", "param"), SEARCHES)
def test_a_nul_in_a_search_is_a_400_not_a_500(signed_in, name, param):
    url = reverse(name)
    assert signed_in.get(url, {param: "ab"}).status_code == 200  # the positive control
    before = AuditEvent.objects.count()
    response = signed_in.get(f"{url}?{param}=a%00b")
    assert response.status_code == 400
    assert "There is a problem with the request" in response.content.decode()
    assert AuditEvent.objects.count() == before  # refused before the view ran


@pytest.mark.parametrize("char", ["%01", "%1F", "%0B"])
def test_other_control_characters_are_refused_too(signed_in, char):
    assert signed_in.get(f"{reverse('cases:list')}?q=a{char}b").status_code == 400


def test_a_form_with_a_nul_is_refused_and_nothing_is_saved(signed_in):
    url = reverse("people:create")
    response = signed_in.post(url, {"given_name": "Sam\x00", "family_name": "Example"})
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_tab_and_line_breaks_are_allowed():
    assert not has_control_character("first line\r\nsecond\tline")
    assert has_control_character("a\x00b")
    assert describe_control_character("a\x00b") == "a NUL character (U+0000)"
    assert describe_control_character("a\x1bb") == "a control character (U+001B)"
    assert describe_control_character("plain") is None
