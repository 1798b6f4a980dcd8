"""Click commands for the sites: `trialoog build` and `trialoog serve`."""

COMMANDS: list = []
