"""The user_agent processor: uap-core regexes applied with ES's matching rules and output shape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..document import IngestDocument
from ..errors import illegal_argument
from .base import Config, Processor
from .network_util import get_string

PROPERTIES = ("NAME", "OS", "DEVICE", "ORIGINAL", "VERSION")


@dataclass(frozen=True)
class Pattern:
    """One uap-core parser entry: a regex plus ES-style name/version replacements."""

    regex: re.Pattern[str]
    name: str | None
    versions: tuple[str | None, ...]

    def match(self, text: str) -> Versioned | None:
        m = self.regex.search(text)
        if m is None:
            return None
        groups = m.re.groups
        name = self.name
        if name is None:
            name = m.group(1) if groups >= 1 else None
        elif "$1" in name and groups >= 1 and m.group(1) is not None:
            name = name.replace("$1", m.group(1), 1)
        if name is None:
            return None
        parts = [
            rep if rep is not None else (m.group(i + 2) if groups >= i + 2 else None)
            for i, rep in enumerate(self.versions)
        ]
        return Versioned(name, *parts)


@dataclass(frozen=True)
class Versioned:
    name: str
    major: str | None = None
    minor: str | None = None
    patch: str | None = None
    build: str | None = None

    def version(self) -> str | None:
        """``major[.minor[.patch[.build]]]`` (None without a major)."""
        out: list[str] = []
        for part in (self.major, self.minor, self.patch, self.build):
            if part is None:
                break
            out.append(part)
        return ".".join(out) if out else None


def _replacement(value: str | None, default: str) -> str | None:
    """ua-parser fills absent replacements with ``$N``; ES treats absent as "use group N"."""
    return None if value is None or value == default else value


@cache
def patterns() -> tuple[tuple[Pattern, ...], tuple[Pattern, ...], tuple[Pattern, ...]]:
    """(user agent, os, device) patterns from ua-parser-builtins, in file order."""
    from ua_parser_builtins.matchers import MATCHERS

    agents, systems, devices = MATCHERS
    return (
        tuple(_versioned(m, ("$2", "$3", "$4", "$5")) for m in agents),
        tuple(_versioned(m, ("$2", "$3", "$4", "$5")) for m in systems),
        tuple(Pattern(m.pattern, _replacement(m.family, "$1"), ()) for m in devices),
    )


def _versioned(matcher: Any, defaults: tuple[str, ...]) -> Pattern:
    reps = (matcher.major, matcher.minor, matcher.patch, matcher.patch_minor)
    versions = tuple(_replacement(r, d) for r, d in zip(reps, defaults, strict=True))
    return Pattern(matcher.pattern, _replacement(matcher.family, "$1"), versions)


def _first(candidates: tuple[Pattern, ...], text: str) -> Versioned | None:
    for pattern in candidates:
        found = pattern.match(text)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Details:
    agent: Versioned | None
    os: Versioned | None
    device: Versioned | None
    device_type: str


@lru_cache(maxsize=8192)
def parse(text: str) -> Details:
    """Parse a user-agent string (cached: the same strings repeat heavily in logs)."""
    from .enrich_devicetype import device_type

    agents, systems, devices = patterns()
    agent = _first(agents, text)
    os = _first(systems, text)
    device = _first(devices, text)
    names = (agent.name if agent else None, os.name if os else None)
    kind = device_type(text, names[0], names[1], device.name if device else None)
    return Details(agent, os, device, kind)


def _os_details(os: Versioned | None) -> dict[str, str] | None:
    if os is None:
        return None
    details = {"name": os.name}
    version = os.version()
    if version is not None:
        details["version"] = version
        details["full"] = f"{os.name} {version}"
    return details


def user_agent_fields(
    text: str, properties: tuple[str, ...] = PROPERTIES, extract_device_type: bool = False
) -> dict[str, Any]:
    """The map ES writes to the target field."""
    details = parse(text)
    out: dict[str, Any] = {}
    for prop in properties:
        if prop == "ORIGINAL":
            out["original"] = text
        elif prop == "NAME":
            out["name"] = details.agent.name if details.agent else "Other"
        elif prop == "VERSION":
            version = details.agent.version() if details.agent else None
            if version is not None:
                out["version"] = version
        elif prop == "OS":
            os = _os_details(details.os)
            if os is not None:
                out["os"] = os
        elif prop == "DEVICE":
            out["device"] = _device(details, extract_device_type)
    return out


def _device(details: Details, extract_device_type: bool) -> dict[str, str]:
    device = {"name": details.device.name if details.device else "Other"}
    if extract_device_type:
        device["type"] = details.device_type
    return device


class UserAgent(Processor):
    type = "user_agent"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.string("field")
        self.target = cfg.string("target_field", "user_agent")
        regex_file = cfg.string("regex_file", "_default_")
        if regex_file != "_default_":
            raise cfg.error(
                "regex_file",
                f"regex file [{regex_file}] doesn't exist (has to exist at node startup)",
            )
        names = cfg.string_list("properties", None)
        self.properties = PROPERTIES if names is None else _parse_properties(cfg, names)
        self.extract_device_type = cfg.boolean("extract_device_type", False)
        self.ignore_missing = cfg.boolean("ignore_missing", False)

    def run(self, doc: IngestDocument) -> None:
        text = get_string(doc, self.field, self.ignore_missing)
        if text is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{self.field}] is null, cannot parse user-agent.")
        doc.set(self.target, user_agent_fields(text, self.properties, self.extract_device_type))


def _parse_properties(cfg: Config, names: list[str]) -> tuple[str, ...]:
    chosen: set[str] = set()
    for name in names:
        upper = name.upper()
        if upper not in PROPERTIES:
            raise cfg.error(
                "properties",
                f"illegal property value [{name}]. valid values are [{', '.join(PROPERTIES)}]",
            )
        chosen.add(upper)
    return tuple(p for p in PROPERTIES if p in chosen)
