"""Writes to the directory and to accounts."""

from stakeholders.models import Language, Person


def person_set_language(*, person: Person, language: str) -> Person:
    """Record the language a person reads the portal and their emails in."""
    if language not in Language.values:
        raise ValueError(f"Unknown language: {language!r}")
    if person.preferred_language != language:
        person.preferred_language = language
        person.full_clean()
        person.save(update_fields=["preferred_language"])
    return person
