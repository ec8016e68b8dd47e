"""@mentions parsed out of realistic comment bodies."""

import pytest

from app.tickets.mentions import parse_mentions


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@jane can you take this one?", ["jane"]),
        ("Looping in @jane.doe for the billing side.", ["jane.doe"]),
        ("Thanks @bob.", ["bob"]),
        ("@bob, @carol! please check", ["bob", "carol"]),
        ("(cc @dave)", ["dave"]),
        ("**@erin** owns the release", ["erin"]),
        ("@bob's fix went out yesterday", ["bob"]),
        ("handing over to @ops-team_", ["ops-team"]),
        ("Hi team,\n\n@Alice checked the logs.\n@bob: please confirm.", ["alice", "bob"]),
    ],
)
def test_mentions_are_handles_without_trailing_punctuation(body, expected):
    assert parse_mentions(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Please write to support@example.com about the invoice.",
        "The client (jane.doe@client.example) says the export is empty.",
        "Reply-To: billing+eu@acme.co.uk",
        "Price is 5 @ 10 USD each",
        "An @ sign alone, or @@, or a lone @",
        "",
    ],
)
def test_email_addresses_and_stray_at_signs_are_not_mentions(body):
    assert parse_mentions(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@jane.doe@desk.example please review", ["jane.doe@desk.example"]),
        ("cc @Ops@Desk.Example.", ["ops@desk.example"]),
        ("ask @ann@mail.example.co.uk, she knows", ["ann@mail.example.co.uk"]),
    ],
)
def test_full_email_mentions_are_kept_whole_and_lower_cased(body, expected):
    assert parse_mentions(body) == expected


def test_repeated_mentions_are_listed_once_in_first_seen_order():
    body = "@carol started it, @Bob reviewed, then @CAROL and @bob merged. Thanks @carol!"
    assert parse_mentions(body) == ["carol", "bob"]


def test_an_email_in_the_text_does_not_hide_the_real_mentions_around_it():
    body = "@jane the customer wrote from jane@client.example; @raj knows them."
    assert parse_mentions(body) == ["jane", "raj"]


def test_a_comment_of_many_distinct_mentions_parses_in_linear_time():
    # The shape that was slow: each new handle was checked against every earlier one, so
    # 200,000 distinct handles (1.7 MB) took minutes; parsing is now linear in the length.
    # The project has no per-test timeout: a regression shows as this test hanging.
    handles = [f"user{n}" for n in range(200_000)]
    body = " ".join(f"@{handle}" for handle in handles) + " @user0 @USER1"
    assert parse_mentions(body) == handles
