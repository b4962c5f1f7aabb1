"""``python -m ras``: the same command as ``ras``."""

from ras._faces import main

if __name__ == "__main__":
    raise SystemExit(main())
