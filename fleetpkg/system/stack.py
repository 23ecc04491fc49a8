"""What sits around the input: the built package, the Agent's event shaping and processors,
and the data stream's ingest pipeline with fields validation on the embedded engine."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fleetpkg.packagedir import DataStream, Package, load_package, version_tuple
from fleetpkg.testing.backend import BackendError, SimulateRequest
from fleetpkg.testing.embedded import EmbeddedBackend
from fleetpkg.testing.fieldcheck import Options, Validator
from fleetpkg.testing.fielddefs import FieldSet, load_fields
from fleetpkg.testing.pipelines import PipelineSet, load_pipelines
from fleetpkg.testing.runner import pipeline_error

from .cel import jsonable
from .input import StreamConfig


class StackError(Exception):
    """The package cannot be built, rendered or loaded."""


def _rendered(source: Path) -> dict[str, bytes]:
    """The package source built in memory, with its _dev/ trees (``build --with-dev``)."""
    from fleetpkg.errors import FleetpkgError
    from fleetpkg.load import load_package as load_source
    from fleetpkg.render import render
    from fleetpkg.resolve import validate

    try:
        return render(validate(load_source(source)), None, True)
    except FleetpkgError as err:
        problems = "; ".join(str(p) for p in err.problems[:5])
        raise StackError(f"cannot build the package from {source}: {problems}") from None


@contextmanager
def package_root(source: Path | None = None, package: Path | None = None) -> Iterator[Path]:
    """``package`` (built with ``--with-dev``) as is, else ``source`` built into a temporary
    directory that is removed when the ``with`` block ends."""
    if package is not None:
        if not (package / "manifest.yml").is_file():
            raise StackError(f"{package}: not a built package (no manifest.yml)")
        yield package
        return
    files = _rendered((source or Path(".")).resolve())
    with tempfile.TemporaryDirectory(prefix="fleetpkg-system-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root


def render_stream(
    root: Path, data_stream: str, vars_doc: dict[str, Any], input_type: str | None = None
) -> tuple[StreamConfig, tuple[str, ...], dict[str, Any]]:
    """The stream as Fleet renders it for ``vars_doc`` (secrets shown, as the Agent gets them);
    ``input_type`` (a test config's ``input``) must be the stream's input."""
    from fleetpkg.errors import FleetpkgError

    try:
        from fleetpkg.policy.render import render
        from fleetpkg.policy.spec import load_stream
        from fleetpkg.policy.varcheck import PolicyVars
    except ImportError as err:  # pragma: no cover - the policy module is another package's
        raise StackError(f"fleetpkg.policy is not available: {err}") from None
    try:
        spec = load_stream(root, data_stream)
        rendered = render(spec, PolicyVars.from_config(vars_doc), show_secrets=True)
    except FleetpkgError as err:
        raise StackError("; ".join(str(p) for p in err.problems)) from None
    except ValueError as err:
        raise StackError(str(err)) from None
    stream = rendered.stream
    if input_type is not None and spec.input != input_type:
        raise StackError(f"data stream {data_stream} uses input {spec.input!r}, not {input_type!r}")
    if spec.input != "cel":
        raise StackError(f"data stream {data_stream} uses input {spec.input!r}, not cel")
    try:
        config = StreamConfig.from_mapping(stream)
    except ValueError as err:
        raise StackError(f"rendered stream of {data_stream}: {err}") from None
    secrets = tuple(dict.fromkeys((*rendered.secrets, *config.secrets())))
    return config, secrets, stream


def _set_path(doc: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = doc
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def _merge(doc: dict[str, Any], fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            _merge(doc[key], value)
        else:
            doc[key] = copy.deepcopy(value)


def apply_processors(doc: dict[str, Any], processors: tuple[dict[str, Any], ...]) -> list[str]:
    """The Beats processors a policy commonly adds; returns the ones not emulated."""
    skipped = []
    for entry in processors:
        if not isinstance(entry, dict) or len(entry) != 1:
            skipped.append(repr(entry))
            continue
        ((name, options),) = entry.items()
        options = options or {}
        if name == "add_fields":
            target = options.get("target", "fields")
            fields = options.get("fields") or {}
            if target:
                node = doc.setdefault(target, {})
                if isinstance(node, dict):
                    _merge(node, fields)
            else:
                _merge(doc, fields)
        elif name == "add_tags":
            tags = options.get("tags") or []
            target = options.get("target", "tags")
            current = doc.get(target) or []
            doc[target] = [*current, *[t for t in tags if t not in current]]
        elif name == "drop_fields":
            for field_name in options.get("fields") or []:
                parts = str(field_name).split(".")
                holder: Any = doc
                for part in parts[:-1]:
                    holder = holder.get(part) if isinstance(holder, dict) else None
                if isinstance(holder, dict):
                    holder.pop(parts[-1], None)
        else:
            skipped.append(name)
    return skipped


def to_document(
    event: dict[str, Any], config: StreamConfig, dataset: str, published: float
) -> dict[str, Any]:
    """The document the Agent sends for one published event."""
    doc: dict[str, Any] = jsonable(copy.deepcopy(event))  # the Agent's JSON encoding of it
    when = datetime.fromtimestamp(published, UTC)
    doc.setdefault(
        "@timestamp", when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    )
    tags = [*(doc.get("tags") or []), *[t for t in config.tags if t not in (doc.get("tags") or [])]]
    if tags:
        doc["tags"] = tags
    _set_path(doc, "input.type", "cel")
    doc["data_stream"] = {"type": "logs", "dataset": dataset, "namespace": "default"}
    _set_path(doc, "event.dataset", dataset)
    apply_processors(doc, config.processors)
    return doc


@dataclass
class Ingested:
    """One document after the pipeline: ``source`` and ``id`` (``_id`` when the pipeline set
    one), or ``error`` (a pipeline failure), or nothing when dropped."""

    source: dict[str, Any] | None
    id: str | None = None
    error: str | None = None
    dropped: bool = False


class Ingest:
    """The data stream's pipeline on the embedded engine, and its fields validator."""

    def __init__(self, root: Path, data_stream: str) -> None:
        self.package: Package = load_package(root)
        found = [ds for ds in self.package.data_streams if ds.name == data_stream]
        if not found:
            raise StackError(f"no data stream {data_stream!r} in {root}")
        self.stream: DataStream = found[0]
        self.pipelines: PipelineSet = load_pipelines(self.package, self.stream)
        self.definitions = self.pipelines.definitions()
        self.fields: FieldSet = load_fields(self.package, self.stream)
        self.backend = EmbeddedBackend()
        options = Options(
            datasets=(self.stream.dataset, *self.pipelines.reroute_datasets),
            spec_2=version_tuple(self.package.format_version) >= (2, 0, 0),
        )
        self.validator = Validator(self.fields, options)

    @property
    def dataset(self) -> str:
        return self.stream.dataset

    def run(self, docs: list[dict[str, Any]]) -> list[Ingested]:
        if not docs:
            return []
        request = SimulateRequest(
            self.pipelines.entry, tuple({"_index": self.stream.index, "_source": d} for d in docs)
        )
        try:
            response = self.backend.simulate(request, self.definitions)
        except BackendError as err:
            reason = err.error.get("reason") if isinstance(err.error, dict) else err.error
            return [Ingested(None, error=f"pipeline error: {reason}") for _ in docs]
        out = []
        for entry in response.get("docs") or []:
            if entry is None:
                out.append(Ingested(None, dropped=True))
            elif "error" in entry:
                error = entry["error"]
                reason = error.get("reason") if isinstance(error, dict) else error
                out.append(Ingested(None, error=str(reason)))
            else:
                doc = entry.get("doc") or {}
                source = doc.get("_source") or {}
                ident = doc.get("_id")
                message = pipeline_error(source)
                out.append(
                    Ingested(source, None if ident in (None, "_id") else str(ident), message)
                )
        return out

    def validate(self, index: int, doc: dict[str, Any]) -> list[str]:
        return [str(p) for p in self.validator.validate(index, doc)]
