"""The vars of a built package, read from package/manifest.yml and its data stream manifests.

Only the built package is read, so this works for any package, however it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fleetpkg.errors import FleetpkgError, Location, Problem


@dataclass(frozen=True)
class VarSpec:
    """One var of the manifest, with the level that declares it (package, input or stream)."""

    name: str
    type: str
    level: str
    title: str = ""
    required: bool = False
    multi: bool = False
    secret: bool = False
    show_user: bool = False
    default: Any = None
    options: tuple[str, ...] = ()
    min_duration: str | None = None
    max_duration: str | None = None

    @property
    def hidden(self) -> bool:
        """A value Fleet must never show: secret vars and passwords."""
        return self.secret or self.type == "password"

    @classmethod
    def from_manifest(cls, raw: dict[str, Any], level: str) -> VarSpec:
        return cls(
            name=str(raw["name"]),
            type=str(raw.get("type", "text")),
            level=level,
            title=str(raw.get("title", raw["name"])),
            required=bool(raw.get("required", False)),
            multi=bool(raw.get("multi", False)),
            secret=bool(raw.get("secret", False)),
            show_user=bool(raw.get("show_user", False)),
            default=raw.get("default"),
            options=tuple(str(o["value"]) for o in raw.get("options") or ()),
            min_duration=raw.get("min_duration"),
            max_duration=raw.get("max_duration"),
        )


@dataclass(frozen=True)
class StreamSpec:
    """A data stream's stream of one input type, with every var Fleet merges for it."""

    package: str
    version: str
    title: str
    policy_template: str
    data_stream: str
    dataset: str
    type: str
    input: str
    template: str
    template_path: str
    package_vars: tuple[VarSpec, ...]
    input_vars: tuple[VarSpec, ...]
    stream_vars: tuple[VarSpec, ...]
    required_vars: tuple[tuple[str, tuple[str, ...]], ...] = ()
    all_streams: tuple[str, ...] = field(default=())  # datasets of the same input, in order

    @property
    def vars(self) -> tuple[VarSpec, ...]:
        return self.package_vars + self.input_vars + self.stream_vars

    def var(self, name: str) -> VarSpec | None:
        """The var Fleet uses for a name: stream vars override input vars override package vars."""
        found = None
        for var in self.vars:
            if var.name == name:
                found = var
        return found


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise FleetpkgError([Problem(Location(str(path)), f"cannot read: {err}")]) from None


def load_stream(package_dir: Path, data_stream: str) -> StreamSpec:
    """The stream of `data_stream` in the built package at `package_dir`."""
    manifest = _yaml(package_dir / "manifest.yml") or {}
    ds_dir = package_dir / "data_stream" / data_stream
    if not (ds_dir / "manifest.yml").is_file():
        known = sorted(p.name for p in (package_dir / "data_stream").glob("*") if p.is_dir())
        message = f"unknown data stream {data_stream!r} (known: {', '.join(known) or 'none'})"
        raise FleetpkgError([Problem(Location(str(package_dir)), message)])
    ds = _yaml(ds_dir / "manifest.yml") or {}
    streams = ds.get("streams") or []
    if not streams:
        raise FleetpkgError([Problem(Location(str(ds_dir / "manifest.yml")), "no streams")])
    stream = streams[0]
    input_type = str(stream.get("input", ""))
    template_path = str(stream.get("template_path", "stream.yml.hbs"))
    template_file = ds_dir / "agent" / "stream" / template_path
    try:
        template = template_file.read_text(encoding="utf-8")
    except OSError as err:
        raise FleetpkgError([Problem(Location(str(template_file)), str(err))]) from None
    name = str(manifest.get("name", ""))
    for pt in manifest.get("policy_templates") or []:
        names = pt.get("data_streams")
        if names is not None and data_stream not in names:
            continue
        for inp in pt.get("inputs") or []:
            if inp.get("type") != input_type:
                continue
            datasets = tuple(f"{name}.{n}" for n in (names or [data_stream]))
            return StreamSpec(
                package=name,
                version=str(manifest.get("version", "")),
                title=str(manifest.get("title", name)),
                policy_template=str(pt.get("name", "")),
                data_stream=data_stream,
                dataset=f"{name}.{data_stream}",
                type=str(ds.get("type", "logs")),
                input=input_type,
                template=template,
                template_path=template_path,
                package_vars=tuple(
                    VarSpec.from_manifest(v, "package") for v in manifest.get("vars") or []
                ),
                input_vars=tuple(VarSpec.from_manifest(v, "input") for v in inp.get("vars") or []),
                stream_vars=tuple(
                    VarSpec.from_manifest(v, "stream") for v in stream.get("vars") or []
                ),
                required_vars=tuple(
                    (str(group), tuple(str(item["name"]) for item in items))
                    for group, items in (stream.get("required_vars") or {}).items()
                ),
                all_streams=datasets,
            )
    message = f"no policy template has a {input_type!r} input for data stream {data_stream!r}"
    raise FleetpkgError([Problem(Location(str(package_dir / "manifest.yml")), message)])
