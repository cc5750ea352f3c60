"""Every URL of the app, enumerated from the URL configuration, so that a new view is covered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    parameters: tuple[str, ...]


def routes() -> list[Route]:
    def walk(patterns: list, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}:{entry.namespace}"
                    if namespace and entry.namespace
                    else (entry.namespace or namespace)
                )
                yield from walk(entry.url_patterns, inner or "")
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, tuple(entry.pattern.converters))

    return sorted(set(walk(get_resolver().url_patterns, "")), key=lambda r: r.name)


# Pages open to everybody by design, tested on their own (tests/monitoring/test_public.py).
PUBLIC_ROUTES = frozenset({"monitoring:public"})


def process_routes() -> list[Route]:
    """The routes that act on one process (they take its ``pk``) and need a role in it."""
    return [
        route for route in routes() if "pk" in route.parameters and route.name not in PUBLIC_ROUTES
    ]
