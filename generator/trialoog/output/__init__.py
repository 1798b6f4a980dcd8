"""Rendering check results for people and machines: text, json, github, junit, report tables, README tables."""
