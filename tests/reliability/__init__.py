"""Reliability and safety tests (issue 5); a package, so its conftest and helpers keep their own names."""
