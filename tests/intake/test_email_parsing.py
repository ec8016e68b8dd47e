"""The pure email core: subjects, senders, quoted history."""

import pytest

from app.intake.email import new_text, parse_subject, referenced_number, sender_address


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: RE: Fwd: [SUP-42] ESCALATION – still down", ("still down", 42, "escalation")),
        ("EMERGENCY: site down", ("site down", None, "emergency")),
        ("Emergency - payments failing", ("payments failing", None, "emergency")),
        ("BUG REPORT: export drops the last row", ("export drops the last row", None, "bug")),
        ("Bug report - export broken", ("export broken", None, "bug")),
        ("AW: WG: [sup-7] Frage zur Rechnung", ("Frage zur Rechnung", 7, None)),
        ("SV: VS: [SUP-1042]", ("", 1042, None)),
        ("RE[2]: quarterly report", ("quarterly report", None, None)),
        ("Fw: Re:  Hello there", ("Hello there", None, None)),
        ("TR : Re: [ SUP-12 ] merci", ("merci", 12, None)),
        ("Escalation: [SUP-9] nobody answered", ("nobody answered", 9, "escalation")),
        ("URGENT EMERGENCY payments down", ("URGENT EMERGENCY payments down", None, "emergency")),
        # Ordinary words are not keywords unless capitalised or opening the subject.
        ("Emergency room booking form broken", ("Emergency room booking form broken", None, None)),
        ("How do I escalate permissions?", ("How do I escalate permissions?", None, None)),
        ("Re: the SUP-42 ticket", ("the SUP-42 ticket", None, None)),
        ("", ("", None, None)),
    ],
)
def test_subjects(subject, expected):
    text, number, keyword = expected
    intent = parse_subject(subject)
    assert intent.subject == text
    assert intent.ticket_number == number
    assert intent.emergency is (keyword == "emergency")
    assert intent.escalation is (keyword == "escalation")
    assert intent.bug_report is (keyword == "bug")


def test_several_keywords_at_once():
    intent = parse_subject("BUG REPORT: EMERGENCY - data loss on save")
    assert (intent.emergency, intent.bug_report, intent.escalation) == (True, True, False)
    assert intent.subject == "data loss on save"


@pytest.mark.parametrize(
    ("header", "address"),
    [
        ("Jane Doe <Jane.Doe@Client.Example>", "jane.doe@client.example"),
        ("jane@client.example", "jane@client.example"),
        ('"Doe, Jane" <jane@client.example>', "jane@client.example"),
        ("not an address", None),
        ("<@client.example>", None),
        ("", None),
    ],
)
def test_sender_addresses(header, address):
    assert sender_address(header) == address


def test_new_text_drops_quoted_history():
    body = (
        "Thanks, that fixed it.\n"
        "One more thing: the export.\n"
        "\n"
        "On Mon, 2 Nov 2026 at 10:00, Support Desk <desk@operator.example> wrote:\n"
        "> We deployed a fix.\n"
        "> Regards\n"
    )
    assert new_text(body) == "Thanks, that fixed it.\nOne more thing: the export."
    assert new_text("Hi\n\n-----Original Message-----\nFrom: x") == "Hi"
    assert new_text("Answer below\n> quoted\n> more") == "Answer below"
    assert new_text("") == ""


def test_message_ids_we_send_name_their_ticket():
    assert referenced_number("<sup-1042.5f3a@desk.example>") == 1042
    assert referenced_number("<SUP-7@desk.example>") == 7
    assert referenced_number("<CAF=abc@mail.gmail.com>") is None
    assert referenced_number(None) is None
