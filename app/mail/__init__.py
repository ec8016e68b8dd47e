"""Outbound mail: notifications planned from the change feed, sent over SMTP."""
