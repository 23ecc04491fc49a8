"""A package directory in package-spec layout (a built package, or one with its ``_dev/``).

``load_package`` reads ``manifest.yml`` and every ``data_stream/*/manifest.yml``, nothing else:
pipelines, fields and test files are only located (``DataStream.pipeline_dir``, ``fields_dir``,
``test_dir``); their readers open them when they need them. ``read_manifest`` reads the package
manifest alone. Every file is read with yaml.v3 semantics (``yamlv3``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .manifests import (
    PACKAGE,
    PolicyTemplate,
    Stream,
    Var,
    parse_policy_templates,
    parse_streams,
    parse_vars,
)
from .yamlv3 import YamlError, parse_yaml

EXPECTED_SUFFIX = "-expected.json"
CONFIG_SUFFIX = "-config.yml"
COMMON_CONFIG = "test-common-config.yml"


class PackageError(Exception):
    """The package (or one of its files) cannot be read or used.

    ``str()`` is ``path:line: message`` (or the bare message when no file is named); ``path``,
    ``line``, ``col`` and ``message`` keep the parts (line and col 1-based, 0 when unknown).
    """

    def __init__(self, message: str, path: str = "", line: int = 0, col: int = 0) -> None:
        where = f"{path}:{line}" if path and line else path
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class Skip:
    """A ``skip: {reason, link}`` block."""

    reason: str
    link: str

    @staticmethod
    def parse(value: Any) -> Skip | None:
        if not isinstance(value, dict):
            return None
        return Skip(str(value.get("reason") or ""), str(value.get("link") or ""))


@dataclass(frozen=True, slots=True)
class Manifest:
    """The package's ``manifest.yml``: what fleetpkg uses of it."""

    name: str
    version: str
    title: str = ""
    format_version: str = "0.0.0"
    kibana_version: str = ""
    vars: tuple[Var, ...] = ()
    policy_templates: tuple[PolicyTemplate, ...] = ()


@dataclass(frozen=True, slots=True)
class DataStream:
    """One data stream: where its files are, how Fleet names it, its streams."""

    name: str
    root: Path
    type: str
    dataset: str
    entry_pipeline: str
    streams: tuple[Stream, ...] = ()

    @property
    def index(self) -> str:
        return f"{self.type}-{self.dataset}-default"

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.yml"

    @property
    def pipeline_dir(self) -> Path:
        return self.root / "elasticsearch" / "ingest_pipeline"

    @property
    def fields_dir(self) -> Path:
        return self.root / "fields"

    @property
    def test_dir(self) -> Path:
        """Pipeline tests (``_dev/test/pipeline``; only in a package built with its ``_dev``)."""
        return self.root / "_dev" / "test" / "pipeline"

    @property
    def policy_test_dir(self) -> Path:
        return self.root / "_dev" / "test" / "policy"

    def template_file(self, stream: Stream) -> Path:
        return self.root / "agent" / "stream" / stream.template_path

    def case_files(self) -> tuple[Path, ...]:
        """Test case files: everything in the test folder but expected and config files."""
        if not self.test_dir.is_dir():
            return ()
        return tuple(
            p
            for p in sorted(self.test_dir.iterdir())
            if p.is_file()
            and not p.name.startswith(".")
            and not p.name.endswith(EXPECTED_SUFFIX)
            and not p.name.endswith(CONFIG_SUFFIX)
        )


@dataclass(frozen=True, slots=True)
class Package:
    """A package root: its manifest, data streams and package-level pipeline-test skip."""

    root: Path
    manifest: Manifest
    data_streams: tuple[DataStream, ...]
    skip: Skip | None = None

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def format_version(self) -> str:
        return self.manifest.format_version

    @property
    def kibana_version(self) -> str:
        return self.manifest.kibana_version

    def data_stream(self, name: str) -> DataStream:
        """The data stream called ``name``; PackageError names the known ones otherwise."""
        for stream in self.data_streams:
            if stream.name == name:
                return stream
        known = ", ".join(d.name for d in self.data_streams) or "none"
        raise PackageError(f"unknown data stream {name!r} (known: {known})", str(self.root))

    def rel(self, path: Path) -> str:
        """Path relative to the package root, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def parse_file(text: str, path: str) -> Any:
    """YAML text's value (yaml.v3 semantics); PackageError names ``path`` and the line."""
    try:
        return parse_yaml(text).value
    except YamlError as err:
        raise PackageError(err.message, path, err.line, err.col) from None


def read_yaml(path: Path) -> Any:
    """A YAML file's value (yaml.v3 semantics); PackageError names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PackageError(f"cannot read file: {err.strerror}", str(path)) from None
    except UnicodeDecodeError as err:
        raise PackageError(f"cannot read file: {err}", str(path)) from None
    return parse_file(text, str(path))


def parse_manifest(value: Any, path: str) -> Manifest:
    """The package manifest from its parsed value; it needs at least a name."""
    if not isinstance(value, dict) or not value.get("name"):
        raise PackageError("manifest has no name", path)
    conditions = value.get("conditions")
    kibana = conditions.get("kibana") if isinstance(conditions, dict) else None
    return Manifest(
        name=str(value["name"]),
        version=str(value.get("version") or ""),
        title=str(value.get("title") or value["name"]),
        format_version=str(value.get("format_version") or "0.0.0"),
        kibana_version=str(kibana.get("version") or "") if isinstance(kibana, dict) else "",
        vars=parse_vars(value.get("vars"), PACKAGE),
        policy_templates=parse_policy_templates(value.get("policy_templates")),
    )


def read_manifest(root: Path) -> Manifest:
    """``root/manifest.yml`` alone (no data stream is read)."""
    path = root / "manifest.yml"
    if not path.is_file():
        raise PackageError("not a package (no manifest.yml)", str(root))
    return parse_manifest(read_yaml(path), str(path))


def _data_stream(package: str, root: Path) -> DataStream:
    path = root / "manifest.yml"
    manifest = read_yaml(path) if path.is_file() else {}
    if not isinstance(manifest, dict):
        manifest = {}
    return DataStream(
        name=root.name,
        root=root,
        type=str(manifest.get("type") or "logs"),
        dataset=str(manifest.get("dataset") or f"{package}.{root.name}"),
        entry_pipeline=str(manifest.get("ingest_pipeline") or "default"),
        streams=parse_streams(manifest.get("streams")),
    )


def _package_skip(root: Path) -> Skip | None:
    path = root / "_dev" / "test" / "config.yml"
    if not path.is_file():
        return None
    config = read_yaml(path)
    if not isinstance(config, dict):
        return None
    pipeline = config.get("pipeline")
    return Skip.parse(pipeline.get("skip")) if isinstance(pipeline, dict) else None


def load_package(root: Path) -> Package:
    """The package manifest and its data streams' manifests."""
    manifest = read_manifest(root)
    ds_root = root / "data_stream"
    folders = sorted(p for p in ds_root.iterdir() if p.is_dir()) if ds_root.is_dir() else []
    streams = tuple(_data_stream(manifest.name, p) for p in folders)
    return Package(root, manifest, streams, _package_skip(root))


def version_tuple(text: str) -> tuple[int, ...]:
    """``"2.12.0"`` → (2, 12, 0); pre-release and build suffixes ignored."""
    out: list[int] = []
    for part in text.split("-")[0].split("+")[0].split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)
