"""The address a request came from, seen through the load balancers the installation trusts.

Behind a balancer or reverse proxy every request arrives from the proxy's address; the client's
is in `X-Forwarded-For`, which anybody can also send. So the header is read only when the
request came from a proxy named in `SAFEHOLD_TRUSTED_PROXIES` (addresses or networks), and then
from the right: each trusted proxy appends the address it received from, so the first address
from the right that is not a trusted proxy is the client. Otherwise the connection's own address
(`REMOTE_ADDR`). Used by the audit log and the public report form's rate limit (ADR 0062).
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


@functools.cache
def _trusted(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted(tuple(settings.SAFEHOLD_TRUSTED_PROXIES))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed(forwarded):
        if _is_trusted(address, networks):
            continue
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            return remote  # a malformed header: the proxy's own address, not a guess
    return remote


def rate_limit_address(request: HttpRequest) -> str:
    """`client_address` for django-ratelimit (`RATELIMIT_IP_META_KEY`), which needs one."""
    address = client_address(request)
    if not address:
        raise ImproperlyConfigured(
            "The request has no client address (REMOTE_ADDR is empty: a Unix socket?). Serve "
            "Safehold over TCP behind the proxy, named in SAFEHOLD_TRUSTED_PROXIES."
        )
    return address
