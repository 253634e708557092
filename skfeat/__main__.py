"""``python -m skfeat``: the same as the ``skfeat`` command."""

from skfeat.cli import main

raise SystemExit(main())
