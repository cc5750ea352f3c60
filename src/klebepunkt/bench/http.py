"""A small HTTP client for load on 127.0.0.1: keep-alive, cookies, CSRF, the voter's clicks.

Used by the concurrency tests and the benchmark. Only loopback addresses are allowed.
"""

from __future__ import annotations

import http.client
import re
import ssl
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """One browser: a connection, its cookies, and its CSRF token."""

    base: str
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    ssl_context: ssl.SSLContext | None = None  # for an https:// base (a proxy in the tests)
    _connection: http.client.HTTPConnection | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"load is only sent to loopback, not {parts.hostname}")
        self.host = parts.hostname
        self.https = parts.scheme == "https"
        self.port = parts.port or (443 if self.https else 80)

    def _conn(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self.https:
                self._connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=self.ssl_context
                )
            else:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urlencode(data).encode() if data is not None else None
        all_headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "de"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                all_headers["X-CSRFToken"] = self.cookies["csrftoken"]
            all_headers["Referer"] = self.base + "/"
        all_headers.update(headers or {})
        started = time.perf_counter()
        for attempt in range(2):
            connection = self._conn()
            try:
                connection.request(method, path, body=body, headers=all_headers)
                raw = connection.getresponse()
                payload = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed a kept-alive connection: open a new one once
                if attempt:
                    raise
        seconds = time.perf_counter() - started
        response_headers = {key.lower(): value for key, value in raw.getheaders()}
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        if raw.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(raw.status, response_headers, payload, seconds)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, data: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        return self.request("POST", path, data=data, headers=headers)

    def join(self, code: str) -> None:
        """Join a round as a member with the personal code, as the join page does."""
        page = self.get("/v/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if match is None or "csrftoken" not in self.cookies:
            raise RuntimeError(f"no CSRF token on the join page ({page.status})")
        response = self.post("/v/", {"csrfmiddlewaretoken": match.group(1), "code": code})
        if response.status != 302 or "klebepunkt_voter" not in self.cookies:
            raise RuntimeError(f"joining failed: {response.status}")

    def click(self, card_id: int, action: str = "add") -> Response:
        """One click on the voter's page: the HTMX request its + or − button sends."""
        return self.post(
            "/v/ballot/dot/",
            {"card": str(card_id), "action": action},
            headers={"HX-Request": "true", "HX-Target": f"card-{card_id}"},
        )
