"""User-Agent strings to a browser and an operating system, for a ticket's context.

A small pure parser: it knows the browsers and systems support actually meets, in the order
that matters (Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari";
iOS also says "Mac OS X"; Android also says "Linux"). Versions lose their trailing ".0"s, which
reduced user agents add (`Chrome/126.0.0.0` is Chrome 126).
"""

import re
from dataclasses import dataclass

MAX_LENGTH = 1000

_BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Edge", r"\b(?:Edg|Edge|EdgA|EdgiOS)/([\d.]+)"),
        ("Opera", r"\b(?:OPR|OPT|OPiOS)/([\d.]+)"),
        ("Samsung Internet", r"\bSamsungBrowser/([\d.]+)"),
        ("Vivaldi", r"\bVivaldi/([\d.]+)"),
        ("Yandex Browser", r"\bYaBrowser/([\d.]+)"),
        ("Firefox", r"\b(?:Firefox|FxiOS)/([\d.]+)"),
        ("Android WebView", r"; wv\).*?\bChrome/([\d.]+)"),
        ("Chromium", r"\bChromium/([\d.]+)"),
        ("Chrome", r"\b(?:HeadlessChrome|Chrome|CriOS)/([\d.]+)"),
        ("Internet Explorer", r"\bMSIE ([\d.]+)|\bTrident/.*?\brv:([\d.]+)"),
        ("Safari", r"\bVersion/([\d.]+).*\bSafari/"),
    )
)

# Windows NT versions as people know them; 10.0 is frozen in user agents, so 11 looks the same.
_WINDOWS = {"10.0": "10/11", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista", "5.1": "XP"}

_IOS = re.compile(r"\((iPhone|iPod|iPad)\b[^)]*?\bOS (\d+(?:_\d+)*)")
_ANDROID = re.compile(r"\bAndroid(?: (\d+(?:\.\d+)*))?")
_WINDOWS_NT = re.compile(r"\bWindows NT (\d+\.\d+)")
_MAC = re.compile(r"\bMac OS X(?: (\d+(?:[_.]\d+)*))?")
_CHROME_OS = re.compile(r"\bCrOS\b")
_LINUX = re.compile(r"\b(?:Linux|X11)\b")


@dataclass(frozen=True)
class UserAgent:
    """What a User-Agent header says about the browser and the system it runs on."""

    browser: str | None = None
    browser_version: str | None = None
    os: str | None = None
    os_version: str | None = None

    @property
    def browser_label(self) -> str | None:
        """e.g. "Chrome 126", as a ticket's context shows it."""
        return _label(self.browser, self.browser_version)

    @property
    def os_label(self) -> str | None:
        """e.g. "macOS 14.5" or "Linux"."""
        return _label(self.os, self.os_version)


def _label(name: str | None, version: str | None) -> str | None:
    if name is None:
        return None
    return f"{name} {version}" if version else name


def _version(raw: str | None) -> str | None:
    if not raw:
        return None
    parts = raw.replace("_", ".").strip(".").split(".")
    while len(parts) > 1 and parts[-1].strip("0") == "":
        parts.pop()
    return ".".join(parts) or None


def _browser(agent: str) -> tuple[str | None, str | None]:
    for name, pattern in _BROWSERS:
        match = pattern.search(agent)
        if match:
            return name, _version(next((group for group in match.groups() if group), None))
    return None, None


def _os(agent: str) -> tuple[str | None, str | None]:
    if match := _IOS.search(agent):
        name = "iPadOS" if match.group(1) == "iPad" else "iOS"
        return name, _version(match.group(2))
    if match := _ANDROID.search(agent):
        return "Android", _version(match.group(1))
    if match := _WINDOWS_NT.search(agent):
        return "Windows", _WINDOWS.get(match.group(1), match.group(1))
    if _CHROME_OS.search(agent):
        return "ChromeOS", None
    if match := _MAC.search(agent):
        return "macOS", _version(match.group(1))
    if _LINUX.search(agent):
        return "Linux", None
    return None, None


def parse(agent: str | None) -> UserAgent:
    """The browser and operating system a User-Agent header names (None for what it does not)."""
    if not agent:
        return UserAgent()
    agent = agent[:MAX_LENGTH]
    browser, browser_version = _browser(agent)
    os_name, os_version = _os(agent)
    return UserAgent(browser, browser_version, os_name, os_version)
