"""Walks over the URL configuration that keep the access matrix complete.

They read the URL configuration in force (`pytest.mark.urls` switches it), so that a test
can show that they report a pattern without a name and a method answered without rows.
"""

from collections.abc import Callable, Iterable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# URL namespaces left out of the matrix, with the reason.
EXEMPT_NAMESPACES = {
    "admin": "Django's admin, for superusers only, guarded by Django itself",
}

# What a probe returns: the answer (a status, or why there is none) of each visitor.
Probe = Callable[[str, str], dict[str, int | str]]


def _walk(resolver: URLResolver, route: str, namespace: str) -> Iterator[tuple[str, str | None]]:
    for entry in resolver.url_patterns:
        inner_route = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner_route, inner)
        elif isinstance(entry, URLPattern):
            yield inner_route, f"{namespace}{entry.name}" if entry.name else None


def url_patterns() -> list[tuple[str, str | None]]:
    """(route, full name or None) of every pattern outside the exempt namespaces."""
    return list(_walk(get_resolver(), "", ""))


def unnamed_patterns() -> list[str]:
    """The routes of the patterns without a name: the matrix cannot hold rows for them."""
    return [route for route, name in url_patterns() if name is None]


def pattern_names() -> list[str]:
    return sorted({name for _route, name in url_patterns() if name is not None})


def patterns_without_rows(named_in_rows: Iterable[str]) -> list[str]:
    return sorted(set(pattern_names()) - set(named_in_rows))


def methods_without_rows(
    probe: Probe, listed: set[tuple[str, str]], names: Iterable[str] | None = None
) -> list[tuple[str, str, dict[str, int | str]]]:
    """The (pattern, method) pairs without rows that answer some visitor other than 405,
    with every visitor's answer."""
    found = []
    for name in pattern_names() if names is None else names:
        for method in METHODS:
            if (name, method) in listed:
                continue
            answers = probe(name, method)
            if any(answer != 405 for answer in answers.values()):
                found.append((name, method, answers))
    return found
