"""The faces: cohort files, the command line and the calculation service, the ways a person or
another system reaches the library.

May use every room; nothing imports the faces but ``ras`` itself.
"""

from ras._faces.cli import main
from ras._faces.files import FileSummary, calculate_file
from ras._faces.service import create_app, serve

__all__ = [
    "FileSummary",
    "calculate_file",
    "create_app",
    "main",
    "serve",
]
