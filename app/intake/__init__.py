"""Intake channels beyond the API: the in-product "?" widget (and inbound email)."""
