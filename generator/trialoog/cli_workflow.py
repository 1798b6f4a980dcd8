"""Click commands for the git workflow: new, codeowners, review, feedback import, signoff."""

COMMANDS: list = []
