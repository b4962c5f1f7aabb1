"""Where the tests find the example schemes and fixtures."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ROOT / "scoring_schemes"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
