"""The calculation service (``pip install "ras[serve]"``): ``create_app(schemes)`` returns the
ASGI application of ``ras serve``, for councils that mount it in their own server.

>>> from ras.service import create_app
>>> app = create_app("scoring_schemes/")  # doctest: +SKIP
"""

from ras._faces import create_app

__all__ = ["create_app"]
