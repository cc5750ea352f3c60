"""Security headers Django does not set itself: a Content-Security-Policy and a Permissions-Policy.

The policy allows what the app is made of and nothing else: scripts and styles from
our own origin only (htmx and klebepunkt.js are static files; no inline script, no
inline style, no ``eval``), no plugins, forms that post only to us, and no page of
ours inside anybody's frame (``frame-ancestors 'none'``, with ``X-Frame-Options:
DENY`` for old browsers). The PDFs and spreadsheets are downloads, not pages.

Django's SecurityMiddleware sets ``X-Content-Type-Options``, ``Referrer-Policy`` and,
in production, HSTS (see ``web/settings.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # data: for the images inside our own stylesheets and the admin
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# What every response carries, Django's or not (the projector's fast path in ``web.wsgi``
# sends these itself; Django's SecurityMiddleware sets the last two for the rest).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and the Permissions-Policy to every response.

    It sits above WhiteNoise, so static files get them too, and it sets
    ``X-Frame-Options`` for those (Django's middleware sets it for the rest).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
