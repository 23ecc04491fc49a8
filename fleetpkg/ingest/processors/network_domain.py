"""The registered_domain processor, with the public suffix list matched as ES's matcher does."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cache, lru_cache

from publicsuffixlist import PSLFILE

from ..document import IngestDocument
from ..errors import illegal_argument
from .base import Config, Processor
from .network_util import get_string

ICANN, PRIVATE = "icann", "private"


@dataclass(frozen=True)
class SuffixRules:
    rules: dict[str, str]
    exceptions: dict[str, str]


@cache
def suffix_rules() -> SuffixRules:
    """The bundled public suffix list: rule → section (ICANN or private)."""
    rules: dict[str, str] = {}
    exceptions: dict[str, str] = {}
    section = ICANN
    with open(PSLFILE, encoding="utf-8") as source:
        for raw in source:
            line = raw.strip()
            if "===BEGIN PRIVATE DOMAINS===" in line:
                section = PRIVATE
            if not line or line.startswith("//"):
                continue
            rule = line.split()[0]
            if rule.startswith("!"):
                exceptions[rule[1:]] = section
            else:
                rules[rule] = section
    return SuffixRules(rules, exceptions)


def _to_unicode(segment: str) -> str:
    """``IDN.toUnicode``: punycode labels decoded, anything undecodable kept as is."""
    if "xn--" not in segment:
        return segment
    labels = []
    for label in segment.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=4096)
def domain_root(domain: str) -> str | None:
    """The registrable part of ``domain`` (None when it is itself a public suffix)."""
    if domain.startswith("."):
        return None
    psl = suffix_rules()
    root: str | None = None
    segment: str | None = domain.lower()
    while segment is not None:
        key = _to_unicode(segment)
        if key in psl.exceptions:
            return segment
        kind = psl.rules.get(key)
        if kind is not None:
            return segment if kind == PRIVATE else root
        dot = segment.find(".")
        following = segment[dot + 1 :] if dot >= 0 else None
        if following is not None:
            kind = psl.rules.get("*." + _to_unicode(following))
            if kind is not None:
                return segment if kind == PRIVATE else root
        root = segment
        segment = following
    return root


def is_public_suffix(domain: str) -> bool:
    return domain_root(domain[1:] if domain.startswith(".") else domain) is None


def domain_info(fqdn: str) -> dict[str, str] | None:
    """domain / registered_domain / top_level_domain / subdomain; None when unmatchable."""
    registered = domain_root(fqdn)
    if registered is None:
        if is_public_suffix(fqdn):
            return {"domain": fqdn, "top_level_domain": fqdn}
        return None
    dot = registered.find(".")
    if dot < 0:
        return None
    if dot + 1 >= len(registered):
        return {}
    info = {
        "domain": fqdn,
        "registered_domain": registered,
        "top_level_domain": registered[dot + 1 :],
    }
    at = fqdn.rfind("." + registered)
    if at > 0:
        info["subdomain"] = fqdn[:at]
    return info


class RegisteredDomain(Processor):
    type = "registered_domain"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.string("field")
        self.target = cfg.string("target_field", "")
        self.ignore_missing = cfg.boolean("ignore_missing", True)

    def run(self, doc: IngestDocument) -> None:
        value = get_string(doc, self.field, self.ignore_missing)
        info = domain_info(value) if value is not None else None
        if info is None:
            if self.ignore_missing:
                return
            raise illegal_argument("unable to set domain information for document")
        prefix = self.target + "." if self.target else ""
        for key in ("domain", "registered_domain", "top_level_domain", "subdomain"):
            if key in info:
                doc.set(prefix + key, info[key])
