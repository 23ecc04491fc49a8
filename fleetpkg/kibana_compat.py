"""Does `conditions.kibana.version` only admit Kibana versions that can install the package's
`format_version`, and which features of the package force that format version up?

Kibana (Fleet) refuses packages whose format version it does not support. Which stack versions
support which format version is elastic-package's table (docs/howto/format_version.md):

    3.0 all · 3.1–3.3 from 8.16 · 3.4 8.19 and from 9.1 · 3.5 from 9.2 · 3.6 from 9.4

The features are taken from package-spec's changelog (spec/changelog.yml) and the `versions:`
patches of its schemas: a key, a var type, a field type, a category or a file that a format
version introduced. `problems(files)` reads the built package (paths relative to its root, as
the render stage returns them) and reports, at the manifest's position:

- a Kibana range that admits versions without support for the format version, with the lowest
  format version the features need and the Kibana range that would do;
- a feature that needs a newer format version than the manifest's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.yamlloader import Document, parse

Version = tuple[int, int, int]
# Half-open intervals [lo, hi) of versions; hi None is "no upper bound".
Interval = tuple[Version, Version | None]
Ranges = list[Interval]

ZERO: Version = (0, 0, 0)
ALL: Ranges = [(ZERO, None)]

# elastic-package docs/howto/format_version.md ("What format versions are supported by each
# version of the stack?"); keys are (major, minor) of format_version, ranges of Kibana.
SUPPORT: dict[tuple[int, int], Ranges] = {
    (3, 0): ALL,
    (3, 1): [((8, 16, 0), None)],
    (3, 2): [((8, 16, 0), None)],
    (3, 3): [((8, 16, 0), None)],
    (3, 4): [((8, 19, 0), (9, 0, 0)), ((9, 1, 0), None)],
    (3, 5): [((9, 2, 0), None)],
    (3, 6): [((9, 4, 0), None)],
}
TABLE = "elastic-package docs/howto/format_version.md"


def support(format_version: Version) -> Ranges | None:
    """The Kibana versions that install a package of this format version (None: not known)."""
    major, minor, _ = format_version
    if (major, minor) in SUPPORT:
        return SUPPORT[(major, minor)]
    if major == 2 and minor < 3:
        return [(ZERO, (9, 0, 0))]
    if major == 2:  # 2.3 - 2.11: all versions except serverless
        return ALL
    return None


# --- versions and npm-style semver ranges (what Kibana's `semver.satisfies` accepts) ---------

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
_PARTIAL = re.compile(r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$")


def parse_version(text: str) -> Version | None:
    match = _VERSION.match(text.strip())
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def show(version: Version) -> str:
    return ".".join(map(str, version))


def _partial(text: str) -> list[int | None]:
    """`8.19` → [8, 19, None]; `8.x` → [8, None, None]; `*` → [None, None, None]."""
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(f"not a version: {text!r}")
    parts: list[int | None] = []
    for group in match.groups():
        parts.append(None if group is None or group in "xX*" else int(group))
    for i in range(1, 3):  # after a wildcard everything is a wildcard
        if parts[i - 1] is None:
            parts[i] = None
    return parts


def _floor(parts: list[int | None]) -> Version:
    return (parts[0] or 0, parts[1] or 0, parts[2] or 0)


def _next(parts: list[int | None]) -> Version | None:
    """The first version above every version the partial version stands for."""
    major, minor, patch = parts
    if major is None:
        return None
    if minor is None:
        return (major + 1, 0, 0)
    if patch is None:
        return (major, minor + 1, 0)
    return (major, minor, patch + 1)


def _comparator(token: str) -> Ranges:
    op = re.match(r"^(\^|~>?|>=|<=|>|<|=)?", token)
    assert op is not None
    sign = op[0]
    parts = _partial(token[len(sign) :].strip())
    lo = _floor(parts)
    if sign in ("", "="):
        return [(lo, _next(parts))]
    if sign == ">=":
        return [(lo, None)]
    if sign == ">":
        above = _next(parts)
        return [(above, None)] if above is not None else []
    if sign == "<":
        return [(ZERO, lo)] if parts[0] is not None else []
    if sign == "<=":
        return [(ZERO, _next(parts))]
    major, minor, patch = parts
    if sign.startswith("~"):
        if major is None:
            return ALL
        return [(lo, (major + 1, 0, 0) if minor is None else (major, minor + 1, 0))]
    # caret: do not change the left-most non-zero part
    if major is None:
        return ALL
    if major > 0 or minor is None:
        return [(lo, (major + 1, 0, 0))]
    if minor > 0 or patch is None:
        return [(lo, (0, minor + 1, 0))]
    return [(lo, (0, 0, patch + 1))]


def _before(a: Version | None, b: Version | None) -> bool:
    """a < b, None being infinity."""
    if a is None:
        return False
    return b is None or a < b


def normalize(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for lo, hi in sorted(r for r in ranges if _before(r[0], r[1])):
        if out and not _before(out[-1][1], lo):  # overlaps or touches the previous one
            prev_lo, prev_hi = out[-1]
            out[-1] = (prev_lo, None if prev_hi is None or hi is None else max(prev_hi, hi))
        else:
            out.append((lo, hi))
    return out


def intersect(a: Ranges, b: Ranges) -> Ranges:
    out: Ranges = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo = max(lo1, lo2)
            hi = hi1 if _before(hi1, hi2) or hi2 is None else hi2
            if _before(lo, hi):
                out.append((lo, hi))
    return normalize(out)


def subtract(a: Ranges, b: Ranges) -> Ranges:
    """The versions of a that are not in b."""
    complement: Ranges = []
    start: Version | None = ZERO
    for lo, hi in normalize(b):
        if start is not None and _before(start, lo):
            complement.append((start, lo))
        start = hi
    if start is not None:
        complement.append((start, None))
    return intersect(a, complement)


def parse_range(text: str) -> Ranges:
    """An npm semver range (`^8.19.0 || ^9.1.0`, `>=8.16.0 <9.0.0`, `8.x`, `1.2 - 1.4`)."""
    out: Ranges = []
    for alternative in text.split("||"):
        alternative = alternative.strip()
        if not alternative:
            out.extend(ALL)
            continue
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", alternative)
        if hyphen:
            lo = _floor(_partial(hyphen[1]))
            out.extend([(lo, _next(_partial(hyphen[2])))])
            continue
        # `>= 8.16.0` (operator and version apart) is one comparator
        tokens = re.sub(r"(\^|~>?|>=|<=|>|<|=)\s+", r"\1", alternative).split()
        current = ALL
        for token in tokens:
            current = intersect(current, _comparator(token))
        out.extend(current)
    return normalize(out)


def describe(ranges: Ranges) -> str:
    parts = []
    for lo, hi in ranges:
        if hi is None:
            parts.append(f">={show(lo)}")
        elif lo == ZERO:
            parts.append(f"<{show(hi)}")
        else:
            parts.append(f">={show(lo)} <{show(hi)}")
    return " || ".join(parts) or "none"


# --- features that a format version introduced ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Feature:
    """One use of something a format version introduced, where the package uses it."""

    what: str
    version: Version
    location: Location


def _vars(doc: Document) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every var definition of a manifest, with its path."""
    value = doc.value if isinstance(doc.value, dict) else {}

    def listed(parts: tuple[str | int, ...], items: Any) -> Iterator[Any]:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield (*parts, i), item

    yield from listed(("vars",), value.get("vars"))
    for pt_path, pt in listed(("policy_templates",), value.get("policy_templates")):
        yield from listed((*pt_path, "vars"), pt.get("vars"))
        for in_path, inp in listed((*pt_path, "inputs"), pt.get("inputs")):
            yield from listed((*in_path, "vars"), inp.get("vars"))
    for st_path, stream in listed(("streams",), value.get("streams")):
        yield from listed((*st_path, "vars"), stream.get("vars"))


# (key path with `*` for any list index, format version that introduced it, what it is).
# Versions: package-spec's changelog, and where a schema has a `versions:` patch, that patch.
MANIFEST_KEYS: tuple[tuple[str, Version, str], ...] = (
    ("policy_templates/*/deployment_modes", (3, 1, 4), "deployment modes"),
    ("policy_templates/*/deployment_modes/agentless/resources", (3, 3, 2), "agentless resources"),
    ("policy_templates/*/deployment_modes/agentless/is_default", (3, 3, 2), "agentless default"),
    ("policy_templates/*/configuration_links", (3, 3, 1), "configuration links"),
    ("policy_templates/*/inputs/*/required_vars", (3, 3, 2), "required var groups"),
    ("policy_templates/*/fips_compatible", (3, 4, 0), "fips_compatible"),
    ("conditions/agent/version", (3, 5, 1), "an Agent version condition"),
    ("deprecated", (3, 6, 0), "a deprecation"),
    ("policy_templates/*/deprecated", (3, 6, 0), "a deprecation"),
    ("policy_templates/*/inputs/*/deprecated", (3, 6, 0), "a deprecation"),
    ("requires", (3, 6, 0), "package dependencies (requires)"),
    ("var_groups", (3, 6, 0), "var groups"),
    ("policy_templates/*/var_groups", (3, 6, 0), "var groups"),
    ("policy_templates/*/inputs/*/var_groups", (3, 6, 0), "var groups"),
    ("policy_templates/*/inputs/*/template_paths", (3, 6, 0), "several template paths"),
    ("policy_templates/*/inputs/*/name", (3, 6, 0), "a named input"),
    ("policy_templates/*/inputs/*/migrate_from", (3, 6, 0), "an input migration"),
    ("policy_templates/*/inputs/*/dynamic_signal_types", (3, 6, 0), "dynamic_signal_types"),
    ("sections", (3, 6, 1), "var sections"),
    ("policy_templates/*/inputs/*/show_divider", (3, 6, 1), "show_divider"),
    ("provider_permissions", (3, 6, 4), "provider permissions"),
    ("policy_templates/*/provider_permissions", (3, 6, 4), "provider permissions"),
    ("group", (3, 6, 6), "a marketplace group"),
)
STREAM_KEYS: tuple[tuple[str, Version, str], ...] = (
    ("streams/*/required_vars", (3, 3, 2), "required var groups"),
    ("categories", (3, 5, 6), "data stream categories"),
    ("deprecated", (3, 6, 0), "a deprecation"),
    ("streams/*/template_paths", (3, 6, 0), "several template paths"),
    ("streams/*/migrate_from", (3, 6, 3), "a stream migration"),
    ("provider_permissions", (3, 6, 4), "provider permissions"),
    ("elasticsearch/index_template/mappings/subobjects", (3, 2, 0), "subobjects"),
)
VAR_KEYS: dict[str, tuple[Version, str]] = {
    "min_duration": ((3, 5, 0), "min_duration"),
    "max_duration": ((3, 5, 0), "max_duration"),
    "deprecated": ((3, 6, 0), "a deprecated var"),
    "section": ((3, 6, 1), "a var section"),
    "migrate_from": ((3, 6, 3), "a var migration"),
}
VAR_TYPES: dict[str, Version] = {"duration": (3, 5, 0)}
FIELD_TYPES: dict[str, Version] = {"counted_keyword": (3, 1, 0), "geo_shape": (3, 6, 1)}
FIELD_KEYS: dict[str, Version] = {"subobjects": (3, 1, 0)}
CATEGORIES: dict[str, Version] = {
    "cloudsecurity_cdr": (3, 1, 2),
    "siem": (3, 3, 3),
    "opentelemetry": (3, 4, 2),
    "asset_inventory": (3, 4, 2),
    "misconfiguration_workflow": (3, 4, 2),
    "vulnerability_workflow": (3, 4, 2),
}
PROCESSORS: dict[str, Version] = {"terminate": (3, 3, 2)}
FILES: tuple[tuple[str, Version, str], ...] = (
    ("data_stream/*/sample_event_*.json", (3, 6, 0), "several sample events"),
    ("*.link", (3, 4, 0), "a .link file"),
    ("kibana/slo_template/*", (3, 4, 0), "an SLO template"),
    ("kibana/alerting_rule_template/*", (3, 4, 0), "an alerting rule template"),
    ("kibana/security_ai_prompt/*", (3, 4, 0), "a security AI prompt"),
    ("kibana/esql_view/*", (3, 6, 0), "an ES|QL view"),
)


def _walk(
    value: Any, pattern: tuple[str, ...], parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[str | int, ...]]:
    """Every path of value matching pattern (`*` = any list index)."""
    if not pattern:
        yield parts
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _walk(item, rest, (*parts, i))
    elif isinstance(value, dict) and head in value:
        yield from _walk(value[head], rest, (*parts, head))


def _keys(doc: Document, table: tuple[tuple[str, Version, str], ...]) -> Iterator[Feature]:
    for path, version, what in table:
        for parts in _walk(doc.value, tuple(path.split("/"))):
            yield Feature(f"{what} ({'.'.join(map(str, parts))})", version, doc.key_at(*parts))


def _var_features(doc: Document) -> Iterator[Feature]:
    for parts, var in _vars(doc):
        name = var.get("name", "?")
        if var.get("type") in VAR_TYPES:
            version = VAR_TYPES[var["type"]]
            yield Feature(f"var type {var['type']} (var {name})", version, doc.at(*parts, "type"))
        for key, (version, what) in VAR_KEYS.items():
            if key in var:
                yield Feature(f"{what} (var {name})", version, doc.key_at(*parts, key))


def _categories(doc: Document) -> Iterator[Feature]:
    value = doc.value if isinstance(doc.value, dict) else {}
    lists: list[tuple[tuple[str | int, ...], Any]] = [(("categories",), value.get("categories"))]
    for i, pt in enumerate(value.get("policy_templates") or []):
        if isinstance(pt, dict):
            lists.append((("policy_templates", i, "categories"), pt.get("categories")))
    for parts, items in lists:
        for i, category in enumerate(items if isinstance(items, list) else []):
            if category in CATEGORIES:
                where = doc.at(*parts, i)
                yield Feature(f"category {category}", CATEGORIES[category], where)


def _fields(doc: Document) -> Iterator[Feature]:
    def visit(items: Any, parts: tuple[str | int, ...]) -> Iterator[Feature]:
        for i, field in enumerate(items if isinstance(items, list) else []):
            if not isinstance(field, dict):
                continue
            here = (*parts, i)
            name = field.get("name", "?")
            if field.get("type") in FIELD_TYPES:
                what = f"field type {field['type']} (field {name})"
                yield Feature(what, FIELD_TYPES[field["type"]], doc.at(*here, "type"))
            for key, version in FIELD_KEYS.items():
                if key in field:
                    yield Feature(f"{key} (field {name})", version, doc.key_at(*here, key))
            yield from visit(field.get("fields"), (*here, "fields"))

    yield from visit(doc.value, ())


def _processors(doc: Document) -> Iterator[Feature]:
    def visit(items: Any, parts: tuple[str | int, ...]) -> Iterator[Feature]:
        for i, proc in enumerate(items if isinstance(items, list) else []):
            if not isinstance(proc, dict):
                continue
            for kind, config in proc.items():
                here = (*parts, i, kind)
                if kind in PROCESSORS:
                    yield Feature(f"processor {kind}", PROCESSORS[kind], doc.key_at(*here))
                if isinstance(config, dict):
                    for key in ("processors", "on_failure"):
                        yield from visit(config.get(key), (*here, key))
                    if kind == "foreach" and isinstance(config.get("processor"), dict):
                        yield from visit([config["processor"]], (*here, "processor"))

    value = doc.value if isinstance(doc.value, dict) else {}
    yield from visit(value.get("processors"), ("processors",))
    yield from visit(value.get("on_failure"), ("on_failure",))


def _yaml(files: dict[str, bytes], path: str) -> Document | None:
    try:
        return parse(files[path].decode("utf-8"), path)
    except (FleetpkgError, UnicodeDecodeError):
        return None  # reported by the other checks


def features(files: dict[str, bytes]) -> list[Feature]:
    """Every use of a feature that needs a format version above 3.0, in path order."""
    found: list[Feature] = []
    for path in sorted(files):
        for pattern, version, what in FILES:
            if fnmatch(path, pattern) or fnmatch(path, "*/" + pattern):
                found.append(Feature(what, version, Location(path)))
        extractors: list[Callable[[Document], Iterator[Feature]]] = []
        if path == "manifest.yml":
            extractors = [lambda d: _keys(d, MANIFEST_KEYS), _var_features, _categories]
        elif re.fullmatch(r"data_stream/[^/]+/manifest\.yml", path):
            extractors = [lambda d: _keys(d, STREAM_KEYS), _var_features, _categories]
        elif re.fullmatch(r"(data_stream/[^/]+/)?fields/[^/]+\.yml", path):
            extractors = [_fields]
        elif re.fullmatch(r"data_stream/[^/]+/elasticsearch/ingest_pipeline/[^/]+\.ya?ml", path):
            extractors = [_processors]
        if extractors:
            doc = _yaml(files, path)
            if doc is not None:
                for extract in extractors:
                    found.extend(extract(doc))
    return found


def required_format_version(files: dict[str, bytes]) -> tuple[Version, list[Feature]]:
    """The lowest format version the package's features allow (at least 3.0.0), and the
    features that force it (those of that version)."""
    found = features(files)
    needed = max((f.version for f in found), default=(3, 0, 0))
    needed = max(needed, (3, 0, 0))
    return needed, [f for f in found if f.version == needed]


def _lowest_kibana(version: Version) -> str:
    ranges = support(version)
    return describe(ranges) if ranges is not None else "unknown"


def problems(files: dict[str, bytes], format_version: str | None = None) -> list[Problem]:
    """Problems of a built package's manifest (`manifest.yml` of files): see the module doc.
    format_version overrides the manifest's (for a manifest not rendered yet)."""
    if "manifest.yml" not in files:
        return []
    doc = _yaml(files, "manifest.yml")
    if doc is None or not isinstance(doc.value, dict):
        return []
    out: list[Problem] = []
    declared = format_version or str(doc.value.get("format_version") or "")
    version = parse_version(declared)
    if version is None:
        return [Problem(doc.at("format_version"), f"format_version {declared!r} is not a version")]
    needed, forcing = required_format_version(files)
    for feature in features(files):
        if feature.version > version:
            message = (
                f"{feature.what} needs format_version {show(feature.version)} or later "
                f"(package-spec changelog); the manifest says {declared}"
            )
            out.append(Problem(feature.location, message))
    conditions = doc.value.get("conditions")
    kibana = conditions.get("kibana") if isinstance(conditions, dict) else None
    text = kibana.get("version") if isinstance(kibana, dict) else None
    where = doc.at("conditions", "kibana", "version")
    supported = support(version)
    if supported is None:
        message = f"format_version {declared} is not in {TABLE}: its Kibana support is unknown"
        return [*out, Problem(doc.at("format_version"), message)]
    try:
        admitted = parse_range(text) if isinstance(text, str) else ALL
    except ValueError as err:
        return [*out, Problem(where, f"conditions.kibana.version {text!r}: {err}")]
    unsupported = subtract(admitted, supported)
    if unsupported:
        shown = repr(text) if isinstance(text, str) else "(none: every version)"
        why = ", ".join(f"{f.what} at {f.location}" for f in forcing[:3]) or "nothing above 3.0"
        fix = (
            f"the package's features need format_version {show(needed)} ({why}), "
            f"which Kibana {_lowest_kibana(needed)} supports"
        )
        message = (
            f"conditions.kibana.version {shown} admits Kibana {describe(unsupported)}, which "
            f"cannot install format_version {declared} (supported by Kibana "
            f"{describe(supported)}, {TABLE}); {fix}"
        )
        location = where if isinstance(text, str) else doc.at("format_version")
        out.append(Problem(location, message))
    return out
