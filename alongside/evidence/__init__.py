"""The evidence library: plain tables in, plain results out.

Nothing under this package may import Django (a test enforces it), so analysts
can use it from a CSV and the web app only gathers data and shows results.
Sub-packages: `qca` (qualitative comparative analysis), `economics` (unit costs,
cost consequence, SROI, scenarios), `quality` (minimum-dataset completeness).
"""
