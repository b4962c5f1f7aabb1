"""The calculation service, ``ras serve``: the library behind JSON for case systems that are not
written in Python (service.md). Importing this needs nothing beyond ras; ``create_app`` needs
the ``serve`` extra (FastAPI and uvicorn) and says so when it is missing.
"""

from ras._faces.service.entry import create_app, serve

__all__ = ["create_app", "serve"]
