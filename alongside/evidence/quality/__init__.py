"""Minimum-dataset quality: the specification and completeness scores (issue 6)."""
