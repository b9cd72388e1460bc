"""The minimum dataset: its specification, completeness, legacy imports and exports."""
