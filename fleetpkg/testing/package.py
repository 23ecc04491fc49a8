"""Load stage: a package directory in package-spec layout → the data streams pipeline tests need."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .yamlv3 import YamlError, parse_yaml

EXPECTED_SUFFIX = "-expected.json"
CONFIG_SUFFIX = "-config.yml"
COMMON_CONFIG = "test-common-config.yml"


class PackageError(Exception):
    """The package (or one of its files) cannot be used for pipeline tests."""


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
class DataStream:
    """One data stream: where its files are and how Fleet names it."""

    name: str
    root: Path
    type: str
    dataset: str
    entry_pipeline: str

    @property
    def index(self) -> str:
        return f"{self.type}-{self.dataset}-default"

    @property
    def test_dir(self) -> Path:
        return self.root / "_dev" / "test" / "pipeline"

    @property
    def pipeline_dir(self) -> Path:
        return self.root / "elasticsearch" / "ingest_pipeline"

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
    """A package root with the manifest values pipeline tests use."""

    root: Path
    name: str
    version: str
    format_version: str
    kibana_version: str
    data_streams: tuple[DataStream, ...]
    skip: Skip | None

    def rel(self, path: Path) -> str:
        """Path relative to the package root, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def read_yaml(path: Path) -> Any:
    """A YAML file's value (yaml.v3 semantics); PackageError names the file and line."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8")).value
    except OSError as err:
        raise PackageError(f"{path}: cannot read file: {err.strerror}") from None
    except YamlError as err:
        raise PackageError(f"{path}:{err.line}: {err.message}") from None


def _data_stream(package: str, root: Path) -> DataStream:
    manifest_path = root / "manifest.yml"
    manifest = read_yaml(manifest_path) if manifest_path.is_file() else {}
    if not isinstance(manifest, dict):
        manifest = {}
    entry = manifest.get("ingest_pipeline") or "default"
    return DataStream(
        name=root.name,
        root=root,
        type=str(manifest.get("type") or "logs"),
        dataset=str(manifest.get("dataset") or f"{package}.{root.name}"),
        entry_pipeline=str(entry),
    )


def load_package(root: Path) -> Package:
    """Read the package manifest and its data streams."""
    manifest_path = root / "manifest.yml"
    if not manifest_path.is_file():
        raise PackageError(f"{root}: not a package (no manifest.yml)")
    manifest = read_yaml(manifest_path)
    if not isinstance(manifest, dict) or not manifest.get("name"):
        raise PackageError(f"{manifest_path}: manifest has no name")
    name = str(manifest["name"])
    ds_root = root / "data_stream"
    streams = tuple(
        _data_stream(name, p)
        for p in (sorted(ds_root.iterdir()) if ds_root.is_dir() else ())
        if p.is_dir()
    )
    kibana = (manifest.get("conditions") or {}).get("kibana") or {}
    return Package(
        root=root,
        name=name,
        version=str(manifest.get("version") or ""),
        format_version=str(manifest.get("format_version") or "0.0.0"),
        kibana_version=str(kibana.get("version") or "") if isinstance(kibana, dict) else "",
        data_streams=streams,
        skip=_package_skip(root),
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


def version_tuple(text: str) -> tuple[int, ...]:
    """``"2.12.0"`` → (2, 12, 0); pre-release and build suffixes ignored."""
    out: list[int] = []
    for part in text.split("-")[0].split("+")[0].split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)
