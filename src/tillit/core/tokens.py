"""Secrets that are handed out once (API keys, invitation links, dialogue places) are stored only as a hash."""

import hashlib


def hash_token(secret: str) -> str:
    """The SHA-256 of a random secret: enough for high-entropy tokens, which need no slow password hash."""
    return hashlib.sha256(secret.encode()).hexdigest()
