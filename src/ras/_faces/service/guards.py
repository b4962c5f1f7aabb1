"""Two guards in front of every route, as plain ASGI middleware: the API key, and the body size.

The key is checked before a body is read, so a caller without it costs nothing; the body is
read up to the limit and no further, so a huge upload is refused without being held.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ras._faces.service.problems import problem_response

__all__ = ["ApiKey", "BodyLimit"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages for people, meant to sit behind the council's own sign-in at its reverse proxy
_OPEN_PATHS = ("/health", "/docs", "/docs/oauth2-redirect")


def _is_open(path: str) -> bool:
    if path in _OPEN_PATHS:
        return True
    parts = path.split("/")  # "/schemes/{id}/form" -> ["", "schemes", id, "form"]
    return len(parts) == 4 and parts[1] == "schemes" and parts[3] == "form"


class ApiKey:
    """Every JSON endpoint but /health needs ``Authorization: Bearer <key>`` when a key is set."""

    def __init__(self, app: App, key: str | None) -> None:
        self.app = app
        self.key = key.encode("utf-8") if key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.key is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"][len(scope.get("root_path", "")):] if scope.get(
            "root_path") and scope["path"].startswith(scope["root_path"]) else scope["path"]
        if _is_open(path) or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        response = problem_response(
            401, "this service needs the header Authorization: Bearer <key>, with the key "
            "the council set in RAS_API_KEY", kind="unauthorised",
            headers={"WWW-Authenticate": 'Bearer realm="ras"'})
        await response(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        assert self.key is not None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, token = bytes(value).partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(),
                                                                           self.key)
        return False


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413, before the route sees any of it."""

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # the server itself refuses a bad length
                if declared > self.limit:
                    await self._refuse(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413, f"the body is over the limit of {self.limit:,} bytes; send fewer children "
            "per request", kind="too-large", headers={"Connection": "close"})
        await response(scope, receive, send)


def _replay(chunks: list[bytes], last: Message | None, then: Receive) -> Receive:
    """A receive that gives the body read so far as one message, then the server's own."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if last is not None:
                return last
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return await then()

    return receive
