"""`python -m trialoog`: the same command as the `trialoog` console script."""

from trialoog.cli import main

main()
