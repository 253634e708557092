"""``python -m skfeat``: the same as the ``skfeat`` command."""

from skfeat.cli import main

if __name__ == "__main__":  # not when pytest's --doctest-modules imports this file
    raise SystemExit(main())
