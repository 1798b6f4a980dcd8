"""The git workflow around a cohort: new entries, review summaries, feedback import, sign-off, codeowners, gather."""
