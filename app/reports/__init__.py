"""SLA reports: compliance, timings, breaches, escalations and CSAT over a date range."""
