"""Reading a cohort: front matter with positions, the typed model, frameworks, milestones."""
