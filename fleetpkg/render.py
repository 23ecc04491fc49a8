"""Render stage: a validated Package → the built package as {relative path: bytes}."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from fleetpkg.derive import build_pipeline
from fleetpkg.ecs import Ecs, load_ecs
from fleetpkg.errors import FleetpkgError, Problem
from fleetpkg.fields import base_fields, ecs_fields, field_docs, package_fields
from fleetpkg.geoip_data import GEOIP_TEST_DIR
from fleetpkg.model import DataStream, Package, PolicyTemplate, Var
from fleetpkg.resolve import MARKER

FORMAT_VERSION = "3.6.6"
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
# elastic-package's escaper for the name and description cells of a fields table
# (internal/docs/exported_fields.go); `|` is not escaped there, so neither is it here.
MD_SPECIAL = re.compile(r"([*{}<>])")
# Go's unicode.IsSpace, what strings.TrimSpace removes.
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line strings as literal blocks, so descriptions stay readable."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(value: Any, indent: int = 0) -> str:
    """Deterministic YAML for a value, every line indented by indent spaces, no trailing newline."""
    text = yaml.dump(
        value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, indent=2
    )
    pad = " " * indent
    return "\n".join(pad + line if line else line for line in text.rstrip("\n").split("\n"))


def scalar(value: Any) -> str:
    """A single YAML scalar (quoted when needed)."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=1000)
    return text.removesuffix("\n...\n").rstrip("\n")


def markdown_cell(value: Any) -> str:
    """A name or description cell as elastic-package writes it: newlines become spaces, the
    ends are trimmed (inner runs of spaces stay), and `* { } < >` are backslash-escaped."""
    text = str(value).replace("\n", " ").strip(GO_SPACE)
    return MD_SPECIAL.sub(r"\\\1", text)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fleetpkg", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(to_yaml=to_yaml, scalar=scalar, md=markdown_cell)
    return env


def _render(template: str, **context: Any) -> bytes:
    text = environment().get_template(template).render(**context)
    return (text.rstrip("\n") + "\n").encode("utf-8")


def var_spec(var: Var) -> dict[str, Any]:
    out: dict[str, Any] = {"name": var.name, "type": var.type, "title": var.title}
    optional = {
        "description": var.description,
        "multi": var.multi,
        "required": var.required,
        "show_user": var.show_user,
        "secret": var.secret,
        "default": var.default,
        "min_duration": var.min_duration,
        "max_duration": var.max_duration,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    if var.options:
        out["options"] = [{"value": v, "text": t} for v, t in var.options]
    return out


def _policy_template(pt: PolicyTemplate, pkg: Package) -> dict[str, Any]:
    names = pt.data_streams if pt.data_streams is not None else [d.name for d in pkg.data_streams]
    out: dict[str, Any] = {"name": pt.name, "title": pt.title, "description": pt.description}
    out["data_streams"] = list(names)
    if pt.multiple is not None:
        out["multiple"] = pt.multiple
    inputs = []
    for inp in pt.inputs:
        item: dict[str, Any] = {"type": inp.type, "title": inp.title}
        item["description"] = inp.description
        if inp.input_group:
            item["input_group"] = inp.input_group
        if inp.vars:
            item["vars"] = [var_spec(v) for v in inp.vars]
        inputs.append(item)
    out["inputs"] = inputs
    return out


def render_manifest(pkg: Package) -> bytes:
    m = pkg.manifest
    conditions: dict[str, Any] = {}
    if m.kibana_version:
        conditions["kibana"] = {"version": m.kibana_version}
    if m.subscription:
        conditions["elastic"] = {"subscription": m.subscription}
    icons = []
    for icon in m.icons:
        spec: dict[str, Any] = {"src": "/" + icon.src, "title": icon.title}
        if icon.size:
            spec["size"] = icon.size
        spec["type"] = MEDIA_TYPES[icon.src[icon.src.rfind(".") :]]
        if icon.dark_mode is not None:
            spec["dark_mode"] = icon.dark_mode
        icons.append(spec)
    return _render(
        "manifest.yml.j2",
        format_version=FORMAT_VERSION,
        m=m,
        conditions=conditions,
        icons=icons,
        vars=[var_spec(v) for v in m.vars],
        policy_templates=[_policy_template(pt, pkg) for pt in m.policy_templates],
    )


def render_changelog(pkg: Package) -> bytes:
    entries = [
        {
            "version": e.version,
            "changes": [
                {"description": c.description, "type": c.type, "link": c.link} for c in e.changes
            ],
        }
        for e in pkg.changelog
    ]
    return _render("changelog.yml.j2", entries=entries)


def _streams(ds: DataStream) -> list[dict[str, Any]]:
    out = []
    for s in ds.streams:
        item: dict[str, Any] = {"input": s.input, "title": s.title, "description": s.description}
        item["template_path"] = s.template_path
        if s.enabled is not None:
            item["enabled"] = s.enabled
        if s.vars:
            item["vars"] = [var_spec(v) for v in s.vars]
        if s.required_vars:
            item["required_vars"] = {
                group: [{"name": name} for name in names] for group, names in s.required_vars
            }
        out.append(item)
    return out


def event_json(event: Any) -> str:
    """The formatting elastic-package uses for sample events: 4 spaces, sorted keys."""
    return json.dumps(event, indent=4, sort_keys=True, ensure_ascii=False)


def _put(doc: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        child = doc.get(part)
        if not isinstance(child, dict):
            child = doc[part] = {}
        doc = child
    doc[last] = value


def _test_event(ds: DataStream) -> dict[str, Any]:
    """Event number sample_index of the pipeline test case sample_case, with its config fields."""
    files = dict(ds.dev_files)
    case = f"test/pipeline/{ds.pipeline.sample_case}"
    where = ds.pipeline.location
    if case not in files:
        raise FleetpkgError([Problem(where, f"sample_event case _dev/{case} does not exist")])
    text = files[case].decode("utf-8")
    events: list[Any]
    if case.endswith(".log"):
        events = [{"message": line} for line in text.splitlines()]
    else:
        events = list(json.loads(text).get("events", []))
    if not 1 <= ds.pipeline.sample_index <= len(events):
        message = f"sample_event: _dev/{case} has no event {ds.pipeline.sample_index}"
        raise FleetpkgError([Problem(where, message)])
    event = dict(events[ds.pipeline.sample_index - 1])
    for config in ("test/pipeline/test-common-config.yml", f"{case}-config.yml"):
        if config in files:
            loaded = yaml.safe_load(files[config]) or {}
            for key, value in (loaded.get("fields") or {}).items():
                _put(event, key, value)
    return event


def sample_event(ds: DataStream, ecs: Ecs) -> Any:
    """sample_event.json: given in the source, or one pipeline test event run through the
    built pipeline on the embedded ingest engine (test GeoIP databases, fixed ingest time)."""
    if ds.pipeline.sample_case is None:
        return ds.sample_event
    from fleetpkg.ingest import simulate  # the engine is only needed for generated samples

    event = _test_event(ds)
    request = {"pipeline": build_pipeline(ds, ecs), "docs": [{"_source": event}]}
    result = simulate(request, geoip_dir=GEOIP_TEST_DIR)["docs"][0]
    if result is None or "doc" not in result:
        case = ds.pipeline.sample_case
        message = f"sample_event: the pipeline failed on _dev/test/pipeline/{case}: {result}"
        raise FleetpkgError([Problem(ds.pipeline.location, message)])
    source: dict[str, Any] = result["doc"]["_source"]
    return source


def render_data_stream(
    pkg: Package, ds: DataStream, ecs: Ecs, sample: Any = None, dev: bool = False
) -> dict[str, bytes]:
    base = f"data_stream/{ds.name}"
    name = pkg.manifest.name
    files = {
        f"{base}/manifest.yml": _render("data_stream_manifest.yml.j2", ds=ds, streams=_streams(ds))
    }
    groups = {
        "base-fields": base_fields(name, ds),
        "ecs": ecs_fields(ds, ecs),
        "fields": package_fields(ds),
    }
    for what, fields in groups.items():
        if fields:
            path = f"{base}/fields/{what}.yml"
            files[path] = _render("fields.yml.j2", ds=ds, what=what, fields=fields)
    pipeline = build_pipeline(ds, ecs)
    path = f"{base}/elasticsearch/ingest_pipeline/default.yml"
    files[path] = _render("pipeline.yml.j2", ds=ds, pipeline=pipeline)
    for template, text in ds.templates:
        files[f"{base}/agent/stream/{template}"] = text.encode("utf-8")
    if sample is not None:
        files[f"{base}/sample_event.json"] = (event_json(sample) + "\n").encode("utf-8")
    for rel, data in ds.dev_files if dev else ():
        files[f"{base}/_dev/{rel}"] = data
    return files


def _data_stream_title(name: str) -> str:
    """elastic-package's stripDataStreamFolderSuffix, used in the event snippet's sentence."""
    return name.replace("_metrics", "").replace("_logs", "")


def render_docs(pkg: Package, text: str, ecs: Ecs, samples: dict[str, Any] | None = None) -> bytes:
    """Expand the {{fields "ds"}} and {{event "ds"}} markers of a docs source, byte for byte as
    elastic-package renders the same text as `_dev/build/docs/<name>` (internal/docs): the
    fields snippet ends with a newline after its last row, the event snippet with the closing
    fence and no newline, and the text around the markers is kept exactly as it is."""

    def expand(match: re.Match[str]) -> str:
        kind, name = match.groups()
        ds = pkg.data_stream(name)
        assert ds is not None  # the validate stage checked every marker
        if kind == "event":
            event = (samples or {}).get(name, ds.sample_event)
            title = _data_stream_title(name)
            snippet = _render("event.md.j2", name=title, event=event_json(event))
            return snippet.decode("utf-8").rstrip("\n")
        rows = field_docs(pkg.manifest.name, ds, ecs)
        if not rows:
            return "**Exported fields**\n\n(no fields available)\n"
        unit = any(r.unit for r in rows)
        metric = any(r.metric_type for r in rows)
        snippet = _render("fields_table.md.j2", rows=rows, unit=unit, metric=metric)
        return snippet.decode("utf-8")

    return MARKER.sub(expand, text).encode("utf-8")


def docs_templates(pkg: Package) -> dict[str, bytes]:
    """`_dev/build/docs/<name>` of a --with-dev build: the docs sources as they are, markers
    and all, the templates elastic-package renders into docs/ (and lint compares with it)."""
    return {f"_dev/build/docs/{name}": text.encode("utf-8") for name, text in pkg.docs}


def render(pkg: Package, ecs: Ecs | None = None, dev: bool = False) -> dict[str, bytes]:
    """Every file of the built package, keyed by its path inside the package.

    With dev, each data stream's _dev/ tree (pipeline, policy and system tests) and the
    package's _dev/deploy/ (mock services) are copied too, so that `fleetpkg test pipeline`
    and `fleetpkg test system` can run on the result; package-spec rejects _dev/ in a built
    package, so package/ and the zip never have it.
    """
    ecs = ecs or load_ecs()
    files = {"manifest.yml": render_manifest(pkg), "changelog.yml": render_changelog(pkg)}
    samples = {ds.name: sample_event(ds, ecs) for ds in pkg.data_streams}
    for name, text in pkg.docs:
        files[f"docs/{name}"] = render_docs(pkg, text, ecs, samples)
    for name, data in pkg.images:
        files[f"img/{name}"] = data
    for ds in pkg.data_streams:
        files.update(render_data_stream(pkg, ds, ecs, samples[ds.name], dev))
    if dev:
        files.update(package_dev_files(pkg.root))
        files.update(docs_templates(pkg))
    return dict(sorted(files.items()))


def package_dev_files(root: Path) -> dict[str, bytes]:
    """The package's own _dev/deploy/ (its mock services, see docs/fleetpkg/system-tests.md),
    copied by a --with-dev build; Python caches are left out."""
    base = root / "_dev" / "deploy"
    if not base.is_dir():
        return {}
    return {
        f"_dev/deploy/{path.relative_to(base).as_posix()}": path.read_bytes()
        for path in sorted(base.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
