"""Unit costs, cost consequence balance sheet, SROI and costed scenarios; see issue 5."""
