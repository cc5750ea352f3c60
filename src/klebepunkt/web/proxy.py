"""Behind a reverse proxy: trust the forwarded client address and scheme from the proxy alone.

``KLEBEPUNKT_TRUSTED_PROXIES`` lists the proxy's addresses or networks (``10.0.0.5``,
``10.0.0.0/24``). A request that comes from one of them carries the real client in the
rightmost address of ``X-Forwarded-For`` that is not itself a proxy; that address becomes
``REMOTE_ADDR``, so the rate limits and the metrics' access list see the real client, not
the proxy. ``X-Forwarded-Proto`` and ``X-Forwarded-Host`` are honoured from the proxy only;
from anybody else they are dropped before Django reads them (a client cannot make itself
"secure" or choose the host of our absolute URLs).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` as networks; raises ``ValueError`` naming a bad entry."""
    entries = value.split(",") if isinstance(value, str) else list(value)
    networks: list[Network] = []
    for entry in (item.strip() for item in entries):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an address or network: {entry!r}") from None
    return tuple(networks)


def address_in(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client: walking ``X-Forwarded-For`` from the right, the first hop that is no proxy."""
    if not address_in(remote_addr, proxies):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not address_in(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop.strip("[]")))
            except ValueError:
                return remote_addr  # garbage in the header: keep the proxy's address
    return hops[0] if hops else remote_addr


class TrustedProxyMiddleware:
    """First in the chain: rewrites ``REMOTE_ADDR`` for requests from a trusted proxy and
    drops the forwarded headers from everybody else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies: tuple[Network, ...] = settings.TRUSTED_PROXIES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        if self.proxies and address_in(remote, self.proxies):
            meta["REMOTE_ADDR"] = client_address(
                remote, meta.get("HTTP_X_FORWARDED_FOR", ""), self.proxies
            )
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
