"""Allow ``python -m socaudit``."""

from socaudit.cli.main import main

main()
