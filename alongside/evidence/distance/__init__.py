"""Distance travelled: free standard measures (ONS4, ONS loneliness), their scoring and
paired before/after change (issue 10)."""
