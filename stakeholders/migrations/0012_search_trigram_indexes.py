"""Trigram indexes for the search columns on PostgreSQL, where `LIKE '%…%'` can use them.

SQLite has no such index; its searches scan, which is fine for a directory kept on one
machine.
"""

from django.db import migrations

INDEXES = [
    ("stakeholders_organisation_search_trgm", "stakeholders_organisation", "search_text"),
    ("stakeholders_person_search_trgm", "stakeholders_person", "search_text"),
    ("stakeholders_person_email_trgm", "stakeholders_person", "UPPER(email)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0011_name_order_indexes")]

    operations = [migrations.RunPython(create, drop)]
