"""Secret tokens: a random secret is sent out, only its hash is stored.

`SecretToken` is the abstract base of every kind: account links now; RSVP,
unsubscribe, calendar-feed and API tokens later. Each concrete model names its
owner and its limits (`VALID_FOR`, `SINGLE_USE`). Unlike signed tokens, a
stored hash can be revoked, and a single-use token is used up by a conditional
UPDATE that must change exactly one row.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32


def make_token() -> tuple[str, str]:
    """A new random token and the hash to store for it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex-encoded."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


class SecretTokenQuerySet[T: "SecretToken"](models.QuerySet[T]):
    def live(self, now: datetime | None = None) -> Self:
        """Tokens that still open something: not revoked, not expired, not used up."""
        now = now or timezone.now()
        live = self.filter(revoked_at=None).filter(
            models.Q(expires_at=None) | models.Q(expires_at__gt=now)
        )
        if self.model.SINGLE_USE:
            live = live.filter(last_used_at=None)
        return live

    def issue(self, *, valid_for: timedelta | None = None, **fields: Any) -> tuple[T, str]:
        """Store a new token with `fields`; return it and the secret to send out."""
        token, token_hash = make_token()
        now = timezone.now()
        lifetime = valid_for if valid_for is not None else self.model.VALID_FOR
        obj = self.create(
            token_hash=token_hash,
            created_at=now,
            expires_at=now + lifetime if lifetime is not None else None,
            **fields,
        )
        return obj, token

    def find(self, token: str) -> T | None:
        """The token a secret opens, whatever its state, or None."""
        if not token or len(token) > 200:
            return None
        return self.filter(token_hash=hash_token(token)).first()

    def revoke(self) -> int:
        """Revoke the tokens of this queryset that are not revoked yet."""
        return self.filter(revoked_at=None).update(revoked_at=timezone.now())


class SecretToken(models.Model):
    """A secret that opens something until it expires, is revoked or (single use) is used."""

    # How long a new token stays valid; None: until revoked.
    VALID_FOR: ClassVar[timedelta | None] = None
    # Whether the first use spends it.
    SINGLE_USE: ClassVar[bool] = False

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = SecretTokenQuerySet.as_manager()

    class Meta:
        abstract = True

    def state(self, now: datetime | None = None) -> TokenState:
        now = now or timezone.now()
        if self.SINGLE_USE and self.last_used_at is not None:
            return TokenState.USED
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.VALID

    @property
    def is_live(self) -> bool:
        return self.state() == TokenState.VALID

    def use(self) -> bool:
        """Record a use; a single-use token is spent by this call only if it changes its row."""
        now = timezone.now()
        rows = type(self)._default_manager.filter(pk=self.pk)
        if self.SINGLE_USE:
            rows = rows.filter(last_used_at=None, revoked_at=None).filter(
                models.Q(expires_at=None) | models.Q(expires_at__gt=now)
            )
        changed = rows.update(last_used_at=now)
        if changed == 1:
            self.last_used_at = now
        return changed == 1
