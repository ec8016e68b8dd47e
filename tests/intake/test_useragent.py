"""The User-Agent parser on real browsers' strings."""

import pytest

from app.intake.useragent import UserAgent, parse

CASES = [
    # Chrome on Windows, macOS, Linux (reduced user agents: minor versions are zeros)
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Chrome 126",
        "Windows 10/11",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/125.0.0.0 Safari/537.36",
        "Chrome 125",
        "macOS 10.15.7",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.207 Safari/537.36",
        "Chrome 124.0.6367.207",
        "Linux",
    ),
    # Headless Chrome, as the browser test drives it
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/156.0.0.0 Safari/537.36",
        "Chrome 156",
        "Linux",
    ),
    # Firefox on Windows, macOS, Ubuntu
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Firefox 127",
        "Windows 10/11",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:126.0) Gecko/20100101 Firefox/126.0",
        "Firefox 126",
        "macOS 14.5",
    ),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox 125",
        "Linux",
    ),
    # Safari on macOS
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Safari 17.4.1",
        "macOS 10.15.7",
    ),
    # Edge on Windows and Android
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
        "Edge 126.0.2592.68",
        "Windows 10/11",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/125.0.0.0 Mobile Safari/537.36 EdgA/125.0.2535.87",
        "Edge 125.0.2535.87",
        "Android 10",
    ),
    # iOS: Safari, Chrome, Firefox, Edge (all WebKit) and iPadOS
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari 17.5",
        "iOS 17.5",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
        "Chrome 126.0.6478.54",
        "iOS 17.5",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
        "Firefox 127",
        "iOS 16.7.8",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 EdgiOS/125.2535.87 Mobile/15E148 Safari/605.1.15",
        "Edge 125.2535.87",
        "iOS 17.5",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari 17.5",
        "iPadOS 17.5",
    ),
    # Android: Chrome, Samsung Internet, Firefox, an in-app WebView
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36",
        "Chrome 126",
        "Android 10",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "Samsung Internet 25",
        "Android 14",
    ),
    (
        "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
        "Firefox 127",
        "Android 14",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36",
        "Android WebView 116",
        "Android 13",
    ),
    # Opera, Chromium, ChromeOS, Internet Explorer 11, Windows 7
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0",
        "Opera 111",
        "Windows 10/11",
    ),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chromium/90.0.4430.93 Chrome/90.0.4430.93 Safari/537.36",
        "Chromium 90.0.4430.93",
        "Linux",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Chrome 126",
        "ChromeOS",
    ),
    (
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Internet Explorer 11",
        "Windows 7",
    ),
]


@pytest.mark.parametrize(("agent", "browser", "os"), CASES)
def test_real_user_agents(agent, browser, os):
    parsed = parse(agent)
    assert (parsed.browser_label, parsed.os_label) == (browser, os)


def test_parts_are_separate():
    parsed = parse(CASES[1][0])
    assert parsed == UserAgent("Chrome", "125", "macOS", "10.15.7")


@pytest.mark.parametrize("agent", [None, "", "curl/8.5.0", "python-httpx/0.28.1", "x" * 100_000])
def test_what_it_does_not_know_is_none(agent):
    parsed = parse(agent)
    assert parsed.browser_label is None
    assert parsed.os_label is None


def test_a_bot_keeps_what_can_be_told():
    parsed = parse(
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
        "+http://www.google.com/bot.html) Chrome/126.0.6478.126 Safari/537.36"
    )
    assert parsed.browser_label == "Chrome 126.0.6478.126"
    assert parsed.os_label is None
