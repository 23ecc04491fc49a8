"""Rules of particular packages that the manifest cannot express.

The data stays in the manifest: the Logpull `fields` var's default is Cloudflare's current
field list, and a requested field must be one of them (Cloudflare rejects the whole request for
a field it does not know); Bot Management fields are requested with `enable_bot_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from fleetpkg.policy.spec import StreamSpec
from fleetpkg.policy.validate import is_set

CLOUDFLARE_ID = re.compile(r"^[0-9a-f]{32}$")
Rule = Callable[[StreamSpec, dict[str, Any]], Iterator[str]]


def _cloudflare(spec: StreamSpec, values: dict[str, Any]) -> Iterator[str]:
    for name in ("account_id", "zone_id"):
        value = values.get(name)
        if spec.var(name) and is_set(value) and not CLOUDFLARE_ID.match(str(value)):
            yield f"data_stream.vars.{name}: {value!r} is not a Cloudflare ID (32 hex digits)"
    yield from _range(values, "per_page", 1, 1000)
    yield from _range(values, "max_windows_per_run", 1, 60)
    yield from _range(values, "count", 1, None)
    sample = values.get("sample")
    if is_set(sample):
        try:
            ok = 0 < float(str(sample)) <= 1
        except (TypeError, ValueError):
            ok = False
        if not ok:
            yield f"data_stream.vars.sample: {sample!r} is not a fraction above 0 and at most 1"
    fields_var = spec.var("fields")
    requested = values.get("fields")
    if fields_var and fields_var.multi and isinstance(requested, list):
        known = set(fields_var.default or ())
        seen: set[str] = set()
        for name in requested:
            if name in seen:
                yield f"data_stream.vars.fields: {name!r} is listed twice"
            seen.add(name)
            if isinstance(name, str) and name not in known:
                hint = " (request bot fields with enable_bot_fields)" if _is_bot(name) else ""
                yield (
                    f"data_stream.vars.fields: unknown Logpull field {name!r}: not in Cloudflare's "
                    f"current field list, the API would reject the request{hint}"
                )


def _is_bot(name: str) -> bool:
    return name.startswith(("Bot", "JA3", "JA4"))


def _range(values: dict[str, Any], name: str, low: int, high: int | None) -> Iterator[str]:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        return
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        yield f"data_stream.vars.{name}: {value} must be {bounds}"


RULES: dict[str, Rule] = {"cloudflare": _cloudflare}


def package_rules(spec: StreamSpec, values: dict[str, Any]) -> list[str]:
    rule = RULES.get(spec.package)
    return list(rule(spec, values)) if rule else []
