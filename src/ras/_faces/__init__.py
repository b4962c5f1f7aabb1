"""The faces: cohort files and the command line, the ways a person or another system reaches the
library.

May use every room; nothing imports the faces but ``ras`` itself.
"""

from ras._faces.cli import main
from ras._faces.files import FileSummary, calculate_file

__all__ = [
    "FileSummary",
    "calculate_file",
    "main",
]
