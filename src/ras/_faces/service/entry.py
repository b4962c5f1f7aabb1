"""Starting the service: the application over a folder of schemes, and ``ras serve``.

FastAPI and uvicorn are the optional ``serve`` extra; this module imports them only when asked,
so that ``import ras`` and the rest of the command line never need them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ras._base import RasError
from ras._plans import SchemeSet, load_schemes
from ras._scheme import Scheme, load_scheme

__all__ = ["create_app", "serve"]

_HINT = "the calculation service needs the serve extra: pip install 'ras[serve]'"


def _schemes(schemes: SchemeSet | Scheme | Iterable[Scheme] | str | os.PathLike[str]
             ) -> SchemeSet:
    if isinstance(schemes, SchemeSet):
        return schemes
    if isinstance(schemes, Scheme):
        return SchemeSet([schemes])
    if isinstance(schemes, str | os.PathLike):
        path = Path(schemes)
        return SchemeSet([load_scheme(path)]) if path.is_file() else load_schemes(path)
    return SchemeSet(schemes)


def create_app(
    schemes: SchemeSet | Scheme | Iterable[Scheme] | str | os.PathLike[str],
    *,
    api_key: str | None = None,
    max_children: int = 10_000,
    max_body: int = 1_000_000,
) -> Any:
    """The ASGI application of ``ras serve``, for a council that mounts it in its own server.

    `schemes` is a ``SchemeSet`` (``ras.load_schemes``), schemes, or a folder or file. The API
    key defaults to the environment's ``RAS_API_KEY``; with none, no key is asked for.
    """
    try:
        from ras._faces.service.app import build_app
    except ImportError as missing:
        raise RasError(f"{_HINT} ({missing.name or missing} is not installed)") from None
    if api_key is None:
        api_key = os.environ.get("RAS_API_KEY") or None
    return build_app(_schemes(schemes), api_key=api_key, max_children=max_children,
                     max_body=max_body)


def serve(folder: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000,
          max_children: int = 10_000, root_path: str = "", log_level: str = "info",
          forwarded_allow_ips: str | None = None, dry_run: bool = False) -> None:
    """Load the schemes (a broken file stops the start) and serve them until stopped; with
    `dry_run`, say what would be served and return instead."""
    schemes = _schemes(folder)
    app = create_app(schemes, max_children=max_children)
    import uvicorn  # installed: create_app has checked the extra

    if dry_run:
        key = "needed (RAS_API_KEY is set)" if os.environ.get("RAS_API_KEY") else "not asked"
        print(f"would serve {len(schemes)} scheme file(s) on http://{host}:{port}{root_path} "
              f"(API key {key}):")
        for s in schemes:
            until = s.effective_to.isoformat() if s.effective_to else "open-ended"
            print(f"  {s.id} {s.version}, {s.effective_from.isoformat()} to {until}: "
                  f"{root_path}/schemes/{s.id}/form")
        return

    uvicorn.run(app, host=host, port=port, root_path=root_path, log_level=log_level,
                proxy_headers=forwarded_allow_ips is not None,
                forwarded_allow_ips=forwarded_allow_ips, server_header=False)
