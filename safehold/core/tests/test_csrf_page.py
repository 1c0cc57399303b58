"""A form whose CSRF check fails gets the service's GOV.UK page saying nothing was saved and what
to do, not Django's plain "CSRF verification failed" page; the same form with its token is
answered as usual (the positive control)."""

import re

from django.test import Client
from django.urls import reverse


def test_a_form_without_its_token_gets_the_services_page(db):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("accounts:sign-in")
    refused = browser.post(url, {"username": "someone@example.test", "password": "wrong"})
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "Your form could not be sent" in page and "nothing was saved" in page
    assert "govuk-template" in page  # the service's layout
    assert "CSRF verification failed" not in page

    form = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answered = browser.post(
        url, {"username": "someone@example.test", "password": "wrong", "csrfmiddlewaretoken": token}
    )
    assert answered.status_code == 200  # the sign-in form again, with its error
    assert "Your form could not be sent" not in answered.content.decode()
