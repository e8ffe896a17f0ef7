"""ClientToken bookkeeping: replay a create, refuse a reused token, or forget it.

A token is remembered, per scope (a Connect instance, or the account for
instances), with a hash of the request it came with and the resource it
created. Within the window the same request replays that resource; another
request with the same token is refused; after the window the token is free.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Optional

from .store import Transaction

TOKEN_MEMBER = "ClientToken"


def request_hash(params: dict) -> str:
    """A fingerprint of every request member but the token: canonical JSON, hashed."""
    canonical = json.dumps(
        {name: value for name, value in params.items() if name != TOKEN_MEMBER},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenCheck:
    """What a token means for this request: replay `replay_id`, refuse, or go ahead."""

    replay_id: Optional[str] = None
    conflict: bool = False


def check(tx: Transaction, scope: str, params: dict, now: float, window_seconds: float) -> TokenCheck:
    token = params.get(TOKEN_MEMBER)
    if token is None:
        return TokenCheck()
    remembered = tx.client_token(scope, token)
    if remembered is None:
        return TokenCheck()
    remembered_hash, resource_id, issued_at = remembered
    if now - issued_at >= window_seconds:
        return TokenCheck()
    if remembered_hash != request_hash(params):
        return TokenCheck(conflict=True)
    return TokenCheck(replay_id=resource_id)


def remember(tx: Transaction, scope: str, params: dict, resource_id: str, now: float, window_seconds: float) -> None:
    """Remember the token of a create; tokens spent longer than the window ago are forgotten
    for good (an indexed delete, nearly free when there are none)."""
    token = params.get(TOKEN_MEMBER)
    if token is not None:
        tx.forget_client_tokens(issued_before=now - window_seconds)
        tx.remember_client_token(scope, token, request_hash(params), resource_id, now)
