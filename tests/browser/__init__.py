"""Tests that look at the built site as its readers do: a real browser, axe-core, the Nu HTML Checker, a link crawler."""
