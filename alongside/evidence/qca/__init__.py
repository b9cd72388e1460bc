"""Qualitative comparative analysis (crisp and fuzzy sets); see issue 4."""
