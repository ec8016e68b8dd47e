"""The pure cores: the retry schedule, Retry-After parsing, and which addresses and URLs
webhooks may go to."""

import ipaddress
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.webhooks.client import Outcome
from app.webhooks.retry import MAX_ATTEMPTS, next_wait, parse_retry_after
from app.webhooks.sender import Claim, Result, judge
from app.webhooks.ssrf import BlockedAddress, address_allowed, check_url

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SCHEDULE = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]


class FixedRandom(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_the_first_attempt_is_immediate():
    assert next_wait(0) == timedelta(0)


def test_schedule_without_jitter():
    middle = FixedRandom(0.5)  # 2 * 0.5 - 1 = 0: no jitter
    assert [next_wait(n, rng=middle) for n in range(1, 8)] == SCHEDULE


def test_jitter_is_within_twenty_percent_both_ways():
    assert next_wait(1, rng=FixedRandom(0.0)) == timedelta(seconds=4)
    assert next_wait(1, rng=FixedRandom(1.0)) == timedelta(seconds=6)
    rng = random.Random(7)
    for failures, base in enumerate(SCHEDULE, start=1):
        waits = [next_wait(failures, rng=rng) for _ in range(200)]
        assert all(base * 0.8 <= wait <= base * 1.2 for wait in waits)
        assert len(set(waits)) > 100  # actually spread out, not one value
        assert min(waits) < base < max(waits)


def test_gives_up_after_eight_attempts():
    assert MAX_ATTEMPTS == 8
    assert next_wait(7) is not None
    assert next_wait(8) is None
    assert next_wait(9) is None
    assert next_wait(8, retry_after=timedelta(seconds=1)) is None


def test_retry_after_lengthens_a_wait_but_never_shortens_it():
    rng = FixedRandom(0.5)
    assert next_wait(1, timedelta(minutes=10), rng) == timedelta(minutes=10)
    assert next_wait(4, timedelta(seconds=1), rng) == timedelta(hours=2)
    # A Retry-After further out than a day counts as a day.
    assert next_wait(1, timedelta(days=30), rng) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", timedelta(seconds=120)),
        (" 7 ", timedelta(seconds=7)),
        ("0", timedelta(0)),
        ("9999999", timedelta(hours=24)),
        (format_datetime(NOW + timedelta(hours=2), usegmt=True), timedelta(hours=2)),
        ("Mon, 23 Nov 2026 12:00:30 GMT", timedelta(seconds=30)),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), timedelta(0)),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("Mon, 99 Foo 2026", None),
    ],
)
def test_parse_retry_after(header, wait):
    assert parse_retry_after(header, NOW) == wait


def _result(status: int | None, failures: int = 0, retry_after: str | None = None) -> Result:
    claim = Claim(
        delivery_id=None,  # type: ignore[arg-type]
        endpoint_id=None,  # type: ignore[arg-type]
        url="https://hooks.example.com/",
        secrets=["whsec_x"],
        msg_id="evt_1",
        body=b"{}",
        failures=failures,
        event_created_at=NOW,
    )
    outcome = Outcome(status, 10, None if status and status < 300 else "x", None, retry_after)
    return Result(claim, outcome, NOW)


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_any_2xx_is_delivered(status):
    verdict = judge(_result(status, failures=3), NOW)
    assert (verdict.status, verdict.failures, verdict.next_attempt_at) == ("delivered", 0, None)
    assert verdict.delivered_at == NOW


@pytest.mark.parametrize("status", [None, 199, 300, 301, 302, 400, 404, 429, 500, 503])
def test_anything_else_is_retried_on_the_schedule(status):
    verdict = judge(_result(status), NOW, FixedRandom(0.5))
    assert verdict.status == "pending" and verdict.failures == 1
    assert verdict.next_attempt_at == NOW + timedelta(seconds=5)


def test_judge_honours_retry_after_and_gives_up():
    verdict = judge(_result(503, failures=1, retry_after="600"), NOW, FixedRandom(0.5))
    assert verdict.next_attempt_at == NOW + timedelta(minutes=10)
    last = judge(_result(500, failures=7), NOW, FixedRandom(0.5))
    assert (last.status, last.failures, last.next_attempt_at) == ("failed", 8, None)


def test_410_is_never_retried():
    verdict = judge(_result(410), NOW)
    assert verdict.status == "failed" and verdict.next_attempt_at is None


BLOCKED = [
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "127.0.0.1",
    "127.255.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.1",
    "203.0.113.1",
    "::1",
    "::",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "2001:db8::1",
    "2001::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", BLOCKED)
def test_internal_and_special_addresses_are_refused(address):
    assert not address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert address_allowed(ipaddress.ip_address(address))


def test_exempt_networks_allow_exactly_their_addresses():
    loopback = [ipaddress.ip_network("127.0.0.0/8")]
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), loopback)
    assert address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), loopback)
    assert not address_allowed(ipaddress.ip_address("10.0.0.1"), loopback)
    assert not address_allowed(ipaddress.ip_address("::1"), loopback)
    v6 = [ipaddress.ip_network("fd00::/8")]
    assert address_allowed(ipaddress.ip_address("fd12::1"), v6)
    assert not address_allowed(ipaddress.ip_address("fe80::1"), v6)


@pytest.mark.parametrize(
    ("url", "host", "port"),
    [
        ("https://hooks.example.com/x", "hooks.example.com", 443),
        ("http://hooks.example.com/x", "hooks.example.com", 80),
        ("https://hooks.example.com:8443/x?a=1", "hooks.example.com", 8443),
        ("http://[2606:4700::1]:8080/", "2606:4700::1", 8080),
        ("HTTPS://Hooks.Example.com/", "hooks.example.com", 443),
    ],
)
def test_check_url_accepts_http_and_https(url, host, port):
    assert check_url(url) == (host, port)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/",
        "file:///etc/passwd",
        "gopher://hooks.example.com/",
        "javascript:alert(1)",
        "hooks.example.com/x",
        "https://",
        "https:///path",
        "https://user:secret@hooks.example.com/",
        "https://user@hooks.example.com/",
        "https://hooks.example.com:99999/",
        "http://[::1/",
    ],
)
def test_check_url_refuses_other_urls(url):
    with pytest.raises(BlockedAddress):
        check_url(url)
