"""The chat tests mail transcripts: the mail tests' SMTP sink and pumps."""

from tests.mail.conftest import mail_pump, sink

__all__ = ["mail_pump", "sink"]
