"""The engagement panel of an organisation's page: what other apps add to it.

The directory knows no other app. An app registers a function giving, for a user and an
organisation, (label, value) rows of what the organisation did there (meetings attended,
activities led…), each read within what the user may see, in a fixed number of queries.
"""

from collections.abc import Callable

from django.utils.functional import Promise

from stakeholders.models import Organisation, User

Figure = Callable[[User, Organisation], list[tuple[str | Promise, object]]]

_figures: list[Figure] = []


def register(figure: Figure) -> None:
    if figure not in _figures:
        _figures.append(figure)


def figures(user: User, organisation: Organisation) -> list[tuple[str | Promise, object]]:
    return [row for figure in _figures for row in figure(user, organisation)]
