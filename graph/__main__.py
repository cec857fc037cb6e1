"""``python -m graph``: the same as the ``actorgraph`` command."""

from .cli import main

main()
