"""The package model: frozen values built by the load stage and refined by validate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fleetpkg.errors import Location

NUMERIC_TYPES = frozenset(
    {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"}
    | {"unsigned_long"}
)


@dataclass(frozen=True, slots=True)
class Constraints:
    """Rules on a var's values that Fleet's manifest cannot express (source only, not built).

    Each bound applies to a number (an integer var, or a text var whose value is a number);
    ``pattern`` and ``hints`` to a string; for a multi var each applies to every item.
    """

    location: Location
    pattern: str | None = None  # a regular expression each value must match (re.search)
    pattern_message: str | None = None  # what the pattern means, shown in the problem
    min: int | float | None = None
    max: int | float | None = None
    exclusive_min: int | float | None = None
    exclusive_max: int | float | None = None
    # each item of a multi var is one of the default's items: True refuses another item,
    # "warn" only warns about it (the value is still accepted)
    one_of_default: bool | Literal["warn"] = False
    unique: bool = False  # no item of a multi var twice
    hints: tuple[tuple[str, str], ...] = ()  # value prefix → hint for a value's problems


@dataclass(frozen=True, slots=True)
class Var:
    """A Fleet configuration variable (package, input or stream level)."""

    name: str
    type: str
    title: str
    location: Location
    description: str | None = None
    required: bool | None = None
    show_user: bool | None = None
    multi: bool | None = None
    secret: bool | None = None
    default: Any = None
    options: tuple[tuple[str, str], ...] = ()
    min_duration: str | None = None  # type duration only
    max_duration: str | None = None
    constraints: Constraints | None = None


@dataclass(frozen=True, slots=True)
class Input:
    """An input of a policy template (e.g. httpjson)."""

    type: str
    title: str
    description: str
    location: Location
    input_group: str | None = None
    vars: tuple[Var, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyTemplate:
    name: str
    title: str
    description: str
    inputs: tuple[Input, ...]
    location: Location
    data_streams: tuple[str, ...] | None = None
    multiple: bool | None = None


@dataclass(frozen=True, slots=True)
class Icon:
    src: str
    title: str
    location: Location
    size: str | None = None
    dark_mode: bool | None = None


@dataclass(frozen=True, slots=True)
class Owner:
    github: str
    type: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The package manifest.yml of the source."""

    name: str
    title: str
    version: str
    description: str
    owner: Owner
    location: Location
    license: str | None = None
    categories: tuple[str, ...] = ()
    kibana_version: str | None = None
    subscription: str | None = None
    icons: tuple[Icon, ...] = ()
    vars: tuple[Var, ...] = ()
    policy_templates: tuple[PolicyTemplate, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    description: str
    type: str
    link: str


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    version: str
    changes: tuple[Change, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Field:
    """A field, declared once: its mapping, documentation and how the pipeline fills it."""

    name: str
    location: Location
    type: str | None = None
    description: str | None = None
    external: str | None = None
    unit: str | None = None
    metric_type: str | None = None
    example: Any = None
    source: str | None = None
    convert: str | None = None
    date_formats: tuple[str, ...] = ()
    date_output_format: str | None = None  # the date processor's output_format (precision)
    ecs: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()  # passed through to fields/*.yml unchanged

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True, slots=True)
class Processor:
    """One ingest processor written by hand: {type: config}."""

    type: str
    config: dict[str, Any]
    location: Location

    @property
    def tag(self) -> str:
        return str(self.config.get("tag", ""))


@dataclass(frozen=True, slots=True)
class PipelineSource:
    """The hand-written parts of a data stream pipeline (pipeline.yml) and its settings."""

    raw_target: str
    location: Location
    description: str | None = None
    format: str = "json"
    raw_fields: tuple[str, ...] = ()
    event_kind: str = "event"
    before: tuple[Processor, ...] = ()
    after: tuple[Processor, ...] = ()
    sample_case: str | None = None  # _dev/test/pipeline/<case> whose event makes sample_event
    sample_index: int = 1  # 1-based event number in sample_case


@dataclass(frozen=True, slots=True)
class Stream:
    input: str
    title: str
    description: str
    template_path: str
    location: Location
    enabled: bool | None = None
    vars: tuple[Var, ...] = ()
    required_vars: tuple[tuple[str, tuple[str, ...]], ...] = ()  # group → var names


@dataclass(frozen=True, slots=True)
class DataStream:
    """A data stream: data_stream/<name>/ in the source."""

    name: str
    title: str
    type: str
    streams: tuple[Stream, ...]
    fields: tuple[Field, ...]
    pipeline: PipelineSource
    location: Location
    release: str | None = None
    sample_event: Any = None
    templates: tuple[tuple[str, str], ...] = ()  # agent/stream/<name> → text
    dev_files: tuple[tuple[str, bytes], ...] = ()  # _dev/<relative path> → bytes, copied as is


@dataclass(frozen=True, slots=True)
class Package:
    """A whole package source directory."""

    root: Path
    manifest: Manifest
    changelog: tuple[ChangelogEntry, ...]
    data_streams: tuple[DataStream, ...]
    docs: tuple[tuple[str, str], ...] = ()  # docs/<name>.md → text
    images: tuple[tuple[str, bytes], ...] = ()  # img/<name> → bytes

    def data_stream(self, name: str) -> DataStream | None:
        return next((ds for ds in self.data_streams if ds.name == name), None)
