"""A stored search column: searching in Cyrillic needs text folded in Python on SQLite, whose
LIKE folds only ASCII letters (and PostgreSQL's trigram indexes serve the same column)."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from portal.lib.text import fold


class FoldedSearch(models.Model):
    """A model whose `search_text` holds its `search_parts()` folded. Every save fills it;
    bulk writes, which skip `save`, call `refresh_search_text()` themselves."""

    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def search_parts(self) -> Iterable[str]:
        raise NotImplementedError

    def refresh_search_text(self) -> None:
        self.search_text = fold(*self.search_parts())
