"""The parts of a built package's manifests that fleetpkg reads: vars, inputs, streams.

Values are read as the manifests hold them (yaml.v3 semantics, see ``yamlv3``); entries of an
unexpected shape are skipped rather than raised on, so that any package in the wild can be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PACKAGE, INPUT, STREAM = "package", "input", "stream"  # the levels a var is declared at


@dataclass(frozen=True, slots=True)
class Var:
    """One var of a manifest, with the level that declares it (package, input or stream)."""

    name: str
    type: str
    level: str
    title: str = ""
    required: bool = False
    multi: bool = False
    secret: bool = False
    show_user: bool = False
    default: Any = None
    options: tuple[tuple[str, str], ...] = ()  # (value, text) of a select var
    min_duration: str | None = None
    max_duration: str | None = None

    @property
    def hidden(self) -> bool:
        """A value Fleet must never show: secret vars and passwords."""
        return self.secret or self.type == "password"

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)


@dataclass(frozen=True, slots=True)
class Input:
    """An input of a policy template."""

    type: str
    vars: tuple[Var, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyTemplate:
    name: str
    inputs: tuple[Input, ...] = ()
    data_streams: tuple[str, ...] | None = None  # None: every data stream

    def covers(self, data_stream: str) -> bool:
        return self.data_streams is None or data_stream in self.data_streams


@dataclass(frozen=True, slots=True)
class Stream:
    """A stream of a data stream manifest: one input type with its template and vars."""

    input: str
    template_path: str = "stream.yml.hbs"
    title: str = ""
    vars: tuple[Var, ...] = ()
    required_vars: tuple[tuple[str, tuple[str, ...]], ...] = ()  # group → var names


def _str(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _duration(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_var(raw: dict[str, Any], level: str) -> Var:
    name = str(raw["name"])
    return Var(
        name=name,
        type=_str(raw.get("type"), "text"),
        level=level,
        title=_str(raw.get("title"), name),
        required=raw.get("required") is True,
        multi=raw.get("multi") is True,
        secret=raw.get("secret") is True,
        show_user=raw.get("show_user") is True,
        default=raw.get("default"),
        options=tuple(
            (_str(o.get("value")), _str(o.get("text"))) for o in _dicts(raw.get("options"))
        ),
        min_duration=_duration(raw.get("min_duration")),
        max_duration=_duration(raw.get("max_duration")),
    )


def parse_vars(value: Any, level: str) -> tuple[Var, ...]:
    return tuple(parse_var(v, level) for v in _dicts(value) if v.get("name") is not None)


def parse_policy_templates(value: Any) -> tuple[PolicyTemplate, ...]:
    out = []
    for pt in _dicts(value):
        names = pt.get("data_streams")
        out.append(
            PolicyTemplate(
                name=_str(pt.get("name")),
                inputs=tuple(
                    Input(_str(i.get("type")), parse_vars(i.get("vars"), INPUT))
                    for i in _dicts(pt.get("inputs"))
                ),
                data_streams=tuple(map(str, names)) if isinstance(names, list) else None,
            )
        )
    return tuple(out)


def _required_vars(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(
        (str(group), tuple(str(item["name"]) for item in _dicts(items) if "name" in item))
        for group, items in value.items()
    )


def parse_streams(value: Any) -> tuple[Stream, ...]:
    return tuple(
        Stream(
            input=_str(s.get("input")),
            template_path=_str(s.get("template_path"), "stream.yml.hbs"),
            title=_str(s.get("title")),
            vars=parse_vars(s.get("vars"), STREAM),
            required_vars=_required_vars(s.get("required_vars")),
        )
        for s in _dicts(value)
    )
