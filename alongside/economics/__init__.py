"""The economics gathered from the records: unit costs and their price years (prices), the
cost consequence balance sheet, social return on investment and costed scenarios. The
arithmetic itself is in the Django-free evidence library; this app counts what the records
hold, in a council's scope, and hands the library plain numbers."""
