"""Trialoog: e-portfolios for student teachers in workplace learning."""

__version__ = "0.1.0"
