"""Prometheus metrics of attachments (per process; sum them across pods). Bytes held in
storage = stored - deleted."""

from prometheus_client import Counter

STORED_BYTES = Counter(
    "supportdesk_attachment_stored_bytes", "Attachment bytes written to storage."
)
DELETED_BYTES = Counter(
    "supportdesk_attachment_deleted_bytes", "Attachment bytes removed from storage."
)
