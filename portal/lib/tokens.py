"""One-time tokens: a random secret is sent out, only its hash is stored.

Each use (account invitations now; later RSVP links, calendar feeds, API
tokens) keeps its own model with a `token_hash` field and calls these helpers.
Unlike signed tokens, a stored hash can be revoked and used only once.
"""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def make_token() -> tuple[str, str]:
    """A new random token and the hash to store for it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex-encoded."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), token_hash)
