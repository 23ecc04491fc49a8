"""A hand-written processor that writes a field fields.yml does not declare is refused, like one
that reads one: the event would carry a field the package's mappings do not know. ECS families
elastic-package skips when it validates test outputs (host.*, cloud.*, agent.*…) are no
exception: a package declares what its pipeline writes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleetpkg.derive import script_writes, writes

PIPELINE = "data_stream/events/pipeline.yml"
FIXTURE = "after:\n  - lowercase:\n      tag: lowercase_user_name\n      field: user.name\n"
FIXTURE += "      ignore_missing: true\n"
EXTRA_FIELDS = (
    "- name: url.domain\n  external: ecs\n"
    "- name: sample.events.labels\n  type: flattened\n  description: Labels.\n"
)


def _at(line: int, ptype: str, name: str) -> str:
    return f"{PIPELINE}:{line}:7: {ptype} processor writes undeclared field {name!r}"


# (case id, processors added after the fixture's, exact problems in output order)
CASES = [
    (
        "set-misspelt-ecs-field",
        "  - set:\n      tag: t\n      field: url.domainn\n      value: x\n",
        [_at(7, "set", "url.domainn")],
    ),
    (
        "rename-target",
        "  - rename:\n      tag: t\n      field: url.domain\n      target_field: url.domian\n",
        [_at(7, "rename", "url.domian")],
    ),
    (
        "append",
        "  - append:\n      tag: t\n      field: related.hosts\n      value: x\n",
        [_at(7, "append", "related.hosts")],
    ),
    (
        "convert-target-field",
        "  - convert:\n"
        "      tag: t\n"
        "      field: sample.events.size\n"
        "      target_field: sample.events.size_kb\n"
        "      type: long\n",
        [_at(7, "convert", "sample.events.size_kb")],
    ),
    (
        "ecs-family-elastic-package-skips-in-outputs",
        "  - set:\n      tag: t\n      field: host.name\n      value: x\n",
        [_at(7, "set", "host.name")],
    ),
    (
        "under-the-raw-target-when-it-holds-declared-fields",
        "  - set:\n      tag: t\n      field: sample.events.typo\n      value: x\n",
        [_at(7, "set", "sample.events.typo")],
    ),
    (
        "script-assignments",
        "  - script:\n"
        "      tag: t\n"
        "      source: |\n"
        "        ctx.url.domain = 'a'; // ctx.in_a_comment = 1\n"
        "        ctx.event.kind = 'x'; String s = 'ctx.in_a_string = 1';\n"
        "        ctx['cloud']['region'] = 'b';\n"
        "        ctx.user.put('nickname', 'c');\n"
        "        if (ctx.url.domain == 'a') { ctx.url.domain += 'x'; }\n",
        [_at(7, "script", "cloud.region"), _at(7, "script", "user.nickname")],
    ),
    (
        "grok-and-dissect-fields",
        "  - grok:\n"
        "      tag: g\n"
        "      field: message\n"
        "      patterns: ['%{WORD:url.domain} %{INT:sample.events.count:int} (?<client.ip>x)']\n"
        "  - dissect:\n"
        "      tag: d\n"
        "      field: message\n"
        "      pattern: '%{url.domain} %{?skip} %{+url.domain} %{server.name->}'\n",
        [
            _at(7, "grok", "client.ip"),
            _at(7, "grok", "sample.events.count"),
            _at(11, "dissect", "server.name"),
        ],
    ),
    (
        "on-failure-handler",
        "  - set:\n"
        "      tag: t\n"
        "      field: url.domain\n"
        "      value: x\n"
        "      on_failure:\n"
        "        - set:\n"
        "            tag: h\n"
        "            field: error.reason\n"
        "            value: x\n",
        [_at(7, "set", "error.reason")],
    ),
    (
        "default-target-of-geoip",
        "  - geoip:\n      tag: t\n      field: source.ip\n",
        [_at(7, "geoip", "geoip")],
    ),
]


@pytest.fixture
def in_pkg(pkg: Path) -> Iterator[Path]:
    cwd = os.getcwd()
    os.chdir(pkg)
    yield pkg
    os.chdir(cwd)


def _write(pkg: Path, processors: str) -> None:
    (pkg / PIPELINE).write_text(FIXTURE + processors, encoding="utf-8")
    fields = pkg / "data_stream/events/fields.yml"
    fields.write_text(fields.read_text(encoding="utf-8") + EXTRA_FIELDS, encoding="utf-8")


def test_the_cases_start_from_the_fixture(in_pkg: Path) -> None:
    assert (in_pkg / PIPELINE).read_text(encoding="utf-8") == FIXTURE


@pytest.mark.parametrize(
    ("processors", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_undeclared_write(in_pkg: Path, cli, processors: str, expected: list[str]) -> None:
    _write(in_pkg, processors)
    code, out, err = cli("check")
    assert (code, out) == (1, "")
    assert err.splitlines() == [*expected, f"{len(expected)} problem(s)"]


def test_declared_writes_pass(in_pkg: Path, cli) -> None:
    """Declared fields and ECS targets, objects holding them, raw keys, object and flattened
    fields' insides, document metadata, the implied ECS fields, a scratch field removed again."""
    _write(
        in_pkg,
        "  - set: {tag: a, field: url.domain, value: x}\n"
        "  - set: {tag: b, field: user.name, value: x}\n"
        "  - set: {tag: c, field: url, copy_from: url}\n"
        "  - set: {tag: d, field: sample.events.Size, value: 1}\n"
        "  - set: {tag: e, field: sample.events.labels.team, value: x}\n"
        "  - set: {tag: f, field: _id, value: x}\n"
        "  - append: {tag: g, field: tags, value: x}\n"
        "  - set: {tag: h, field: event.kind, value: event}\n"
        "  - date: {tag: i, field: url.domain, formats: [ISO8601]}\n"
        "  - set: {tag: j, field: _tmp.x, value: x}\n"
        "  - remove: {tag: k, field: [_tmp], ignore_missing: true}\n"
        "  - foreach:\n"
        "      {tag: l, field: tags, processor: {set: {field: _ingest._value.x, value: 1}}}\n",
    )
    assert cli("check") == (0, ".: ok\n", "")


def test_in_place_processors_write_what_they_read() -> None:
    assert writes("lowercase", {"field": "a"}) == []
    assert writes("convert", {"field": "a", "type": "long"}) == []
    assert writes("date", {"field": "a", "formats": ["x"]}) == ["@timestamp"]
    assert writes("kv", {"field": "a", "field_split": " ", "value_split": "="}) == []
    assert writes("kv", {"field": "a", "target_field": "b", "field_split": " "}) == ["b"]


def test_script_writes_are_found_syntactically() -> None:
    source = (
        "ctx.a.b = 1; ctx . c=2; ctx['d'][\"e.f\"] -= 3; ctx.g >>>= 1; ctx.put('h', 1);\n"
        'if (ctx.x == 1 || ctx.y <= 2 || ctx.z != 3) {} /* ctx.no = 1 */ def s = "ctx.no = 2";'
    )
    assert script_writes(source) == ["a.b", "c", "d.e.f", "g", "h"]
    scratch = "ctx._tmp = [:]; ctx._tmp.x = 1; ctx.y = ctx._tmp.x; ctx.remove('_tmp');"
    assert script_writes(scratch) == ["y"]
