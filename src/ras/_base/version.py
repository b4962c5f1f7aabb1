"""The library's version, recorded in audit records and printed by ``ras --version``."""

__version__ = "0.1.0"
