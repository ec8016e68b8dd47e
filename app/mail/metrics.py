"""Prometheus counters of outbound mail."""

from prometheus_client import Counter

MAILS = Counter(
    "supportdesk_mail_attempts",
    "Outbound mail attempts by kind and what became of them (sent, pending: retried later, "
    "failed, skipped)",
    ["kind", "status"],
)


def count(kind: str, status: str) -> None:
    MAILS.labels(kind=kind, status=status).inc()
