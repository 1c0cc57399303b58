"""Every response carries a Content-Security-Policy; inline scripts and style sheets run only
with the response's nonce (the browser tests check that no page logs a violation)."""

import re

from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.core.middleware import content_security_policy
from safehold.performance.imports import import_indicators, import_values


def _nonce(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"script-src 'self' 'nonce-([^']+)'", policy)[1]


def test_a_page_has_the_policy_and_its_inline_script_the_nonce(signed_in):
    response = signed_in.get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    nonce = _nonce(response)
    html = response.content.decode()
    assert f'<script nonce="{nonce}">document.body.className' in html
    assert "<script>" not in html  # no inline script without the nonce
    again = _nonce(signed_in.get(reverse("core:home")))
    assert again != nonce  # a fresh nonce on every response


def test_the_sign_in_page_and_the_api_have_it_too(client, caseworker):
    assert "Content-Security-Policy" in client.get(reverse("accounts:sign-in")).headers
    assert "Content-Security-Policy" in client.get("/api/v1/cases/").headers


def test_a_printable_document_styles_with_the_nonce(client, db):
    import_indicators(
        data="code,name,theme,source,unit,polarity,tolerance_percent,frequency\n"
        "X-1,Fires,Safety,GMFRS,count,none,,annual\n",
        by=None,
    )
    import_values(data="code,period,value,count,break_in_series\nX-1,2016/17,3,,\n", by=None)
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    response = client.get(reverse("performance:report"), {"period": "2016/17", "format": "print"})
    assert response.status_code == 200
    assert f'<style nonce="{_nonce(response)}">' in response.content.decode()


def test_map_tiles_are_allowed_only_from_the_configured_server(settings):
    assert "img-src 'self' data:;" in content_security_policy("n")
    settings.CRIME_MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    assert "img-src 'self' data: https://*.tile.example.org;" in content_security_policy("n")
