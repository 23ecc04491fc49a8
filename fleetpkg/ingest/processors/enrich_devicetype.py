"""Device-type classification for user_agent ``extract_device_type``: Robot/Tablet/Phone/Desktop."""

from __future__ import annotations

import re

_AGENT_TABLET = re.compile(r"\b(?:iPad|Tablet|Kindle|Silk|PlayBook|Nexus (?:7|9|10))\b")
_AGENT_ROBOT = re.compile(r"(?i)bot\b|crawl|spider|slurp|curl/|wget/|python-|java/")
_BROWSER_ROBOT = re.compile(r"(?i)bot|spider|crawler|^(?:curl|Wget|Python|Java|Go)")
_OS_PHONE = re.compile(r"^(?:iOS|Android|Windows Phone|BlackBerry OS|Symbian OS|KaiOS|Tizen)")
_OS_DESKTOP = re.compile(
    r"^(?:Windows|Mac OS X|macOS|Linux|Ubuntu|Debian|Fedora|Chrome OS|FreeBSD|OpenBSD|NetBSD|"
    r"Solaris|Red Hat|SUSE|Mint|Arch Linux|Gentoo)"
)
_DEVICE_ROBOT = re.compile(r"^Spider$")
_DEVICE_TABLET = re.compile(r"(?i)iPad|Tablet|Kindle|\bTab\b|SM-T|GT-P|Nexus (?:7|9|10)")
_DEVICE_PHONE = re.compile(r"(?i)iPhone|iPod|Phone|Mobile|Pixel|SM-[AGJNS]|Galaxy")
_DEVICE_DESKTOP = re.compile(r"^(?:Mac|PC)$")


def device_type(text: str, agent: str | None, os: str | None, device: str | None) -> str:
    """The first decisive signal wins, with Robot > Tablet > Phone > Desktop precedence."""
    if _AGENT_TABLET.search(text) and not _AGENT_ROBOT.search(text):
        return "Tablet"
    found = set()
    if os is not None:
        if _OS_PHONE.search(os):
            found.add("Phone")
        elif _OS_DESKTOP.search(os):
            found.add("Desktop")
    if agent is not None and _BROWSER_ROBOT.search(agent):
        found.add("Robot")
    if device is not None:
        found.add(_device_kind(device))
    for kind in ("Robot", "Tablet", "Phone", "Desktop"):
        if kind in found:
            return kind
    return "Other"


def _device_kind(device: str) -> str:
    if _DEVICE_ROBOT.search(device):
        return "Robot"
    if _DEVICE_TABLET.search(device):
        return "Tablet"
    if _DEVICE_PHONE.search(device):
        return "Phone"
    if _DEVICE_DESKTOP.search(device):
        return "Desktop"
    return "Other"
