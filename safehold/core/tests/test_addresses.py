"""The client's address behind the load balancers the installation trusts (ADR 0062): the
audit log and the public form's rate limit read X-Forwarded-For only from a trusted proxy, from
the right; from anyone else the header is ignored (it would let a caller choose its address)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.addresses import client_address, rate_limit_address

BALANCER = "10.0.0.5"


def request(remote="203.0.113.9", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "seen"),
    [
        # No proxy trusted: the connection's address, whatever the header says.
        ([], "203.0.113.9", "198.51.100.7", "203.0.113.9"),
        # Through the trusted balancer: the address it received from.
        ([BALANCER], BALANCER, "198.51.100.7", "198.51.100.7"),
        # A client that sends its own header: the balancer appends the real address last.
        ([BALANCER], BALANCER, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two trusted hops (a network and an address), read from the right past both.
        (["10.0.0.0/24", "192.0.2.1"], BALANCER, "198.51.100.7, 192.0.2.1", "198.51.100.7"),
        # A trusted proxy that sent no header, or a broken one: its own address.
        ([BALANCER], BALANCER, None, BALANCER),
        ([BALANCER], BALANCER, "not-an-address", BALANCER),
        # The header from an untrusted caller is ignored.
        ([BALANCER], "203.0.113.9", "198.51.100.7", "203.0.113.9"),
        # IPv6.
        (["2001:db8::/64"], "2001:db8::1", "2001:db8:ffff::7", "2001:db8:ffff::7"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, seen):
    settings.SAFEHOLD_TRUSTED_PROXIES = proxies
    assert client_address(request(remote, forwarded)) == seen
    assert rate_limit_address(request(remote, forwarded)) == seen


def test_the_audit_log_records_the_client_behind_the_balancer(client, caseworker, settings):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=caseworker.agency))
    client.force_login(caseworker)
    settings.SAFEHOLD_TRUSTED_PROXIES = [BALANCER]
    url = reverse("cases:detail", args=[case.pk])
    assert (
        client.get(url, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 200
    )
    assert AuditEvent.objects.latest("id").ip_address == "198.51.100.7"
    # The same header from a caller who is not the balancer: its own address is recorded.
    client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert AuditEvent.objects.latest("id").ip_address == "203.0.113.9"
