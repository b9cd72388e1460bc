"""Completeness and consistency of the minimum dataset."""
