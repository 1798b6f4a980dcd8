"""From a checked cohort to static sites: views, pages, safe bodies, charts, the engine and the build."""
