"""Tests of the whitelisted library: String, collections, regex, helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from fleetpkg.ingest.painless import PainlessRuntimeError, compile_script


def run(source: str, ctx: dict[str, Any] | None = None, **params: Any) -> Any:
    return compile_script(source).execute(ctx if ctx is not None else {}, params)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'hello'.length()", 5),
        ("'hello'.substring(1, 3)", "el"),
        ("'hello'.substring(2)", "llo"),
        ("'hello'.indexOf('l')", 2),
        ("'hello'.indexOf('l', 3)", 3),
        ("'hello'.lastIndexOf('l')", 3),
        ("'Hello'.toLowerCase()", "hello"),
        ("'Hello'.toUpperCase(Locale.ROOT)", "HELLO"),
        ("'  a b '.trim()", "a b"),
        ("'a.b.c'.replace('.', '-')", "a-b-c"),
        ("'a1b22c'.replaceAll('[0-9]+', '#')", "a#b#c"),
        ("'a1b22c'.replaceFirst('[0-9]+', '<$0>')", "a<1>b22c"),
        ("'a,b,,c,,'.split(',')", ["a", "b", "", "c"]),
        ("'a,b,,c,,'.splitOnToken(',')", ["a", "b", "", "c", "", ""]),
        ("'a,b,c'.splitOnToken(',', 2)", ["a", "b,c"]),
        ("'abc'.startsWith('ab') && 'abc'.endsWith('bc') && 'abc'.contains('b')", True),
        ("''.isEmpty()", True),
        ("'abc'.charAt(1)", "b"),
        ("'abc'.charAt(1) == (char) 'b'", True),
        ("'abc'.charAt(1) == 'b'", False),  # Character vs String: false in Painless too
        ("'abc'.codePointAt(0)", 97),
        ("'a'.compareTo('c')", -2),
        ("'ab'.concat('cd')", "abcd"),
        ("'ABC'.equalsIgnoreCase('abc')", True),
        ("String.join(',', ['a', 'b'])", "a,b"),
        ("String.valueOf(1.5)", "1.5"),
        ("'abc' ==~ /a.c/", True),
        ("'xabcx' =~ /b/", True),
        ("'2020-01-02'.matches('\\\\d{4}-\\\\d{2}-\\\\d{2}')", True),
        ("/(\\d+)-(\\d+)/.matcher('12-34').replaceAll('$2-$1')", "34-12"),
        ("def m = /(?<y>\\d{4})/.matcher('in 2024'); m.find() ? m.group('y') : null", "2024"),
        ("def m = /a/.matcher('banana'); int n = 0; while (m.find()) { n++ } n", 3),
        ("/x/i.matcher('X').matches()", True),
        ("'AbC'.replaceAll(/[a-z]/, m -> m.group().toUpperCase())", "ABC"),
        ("/\\p{Alpha}+/.matcher('ab1').lookingAt()", True),
    ],
)
def test_strings_and_regex(source: str, expected: Any) -> None:
    assert run(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def l = new ArrayList(); l.add(1); l.add(0, 2); l", [2, 1]),
        ("def l = [1, 2, 3]; l.remove(0); l", [2, 3]),
        ("def l = ['a', 'b']; l.remove('a'); l", ["b"]),
        ("def l = [3, 1, 2]; Collections.sort(l); l", [1, 2, 3]),
        ("def l = [1, 2, 3, 4]; l.removeIf(x -> x % 2 == 0); l", [1, 3]),
        ("[1, 2, 3].subList(1, 3)", [2, 3]),
        ("[1, 2, 3].contains(2) && [1, 2].indexOf(2) == 1", True),
        ("def l = [1, 2]; l.addAll([3]); l.size() + l.length", 6),
        ("def l = [1, 2]; l[-1]", 2),
        ("def m = ['a': 1]; m.b = 2; m.put('c', 3); m", {"a": 1, "b": 2, "c": 3}),
        ("def m = ['a': 1]; m.getOrDefault('z', 9)", 9),
        ("def m = ['a': 1, 'b': null]; m.values().removeIf(v -> v == null); m", {"a": 1}),
        (
            "def m = ['a': 1, 'b': 2]; def o = []; for (String k : m.keySet()) { o.add(k) } o",
            ["a", "b"],
        ),
        (
            "def m = ['a': 1]; def o = []; "
            "for (def e : m.entrySet()) { o.add(e.getKey() + e.getValue()) } o",
            ["a1"],
        ),
        ("def m = [:]; m.computeIfAbsent('k', k -> []).add(1); m", {"k": [1]}),
        ("def s = new HashSet(); s.add('a'); s.add('a'); s.size()", 1),
        ("def s = new HashSet(); s.add('a'); ctx.s = s; ctx.s", ["a"]),
        ("['a': 1, 'b': 2].collect((k, v) -> k + v)", ["a1", "b2"]),
        ("['a': 1, 'b': 2].findAll((k, v) -> v > 1)", {"b": 2}),
        ("[1, 2, 3].groupBy(x -> x % 2 == 0 ? 'even' : 'odd')", {"odd": [1, 3], "even": [2]}),
        ("[1, 2, 3].findResult(x -> x > 1 ? x * 10 : null)", 20),
        ("[1, 2].every(x -> x > 0)", True),
        ("new ArrayList(['b': 1].keySet())", ["b"]),
        ("Arrays.asList('a', 'b')", ["a", "b"]),
        ("String[] a = new String[2]; a[0] = 'x'; a", ["x", None]),
        ("int[] a = new int[] {1, 2}; a.length", 2),
        ("new StringBuilder().append('a').append(1).append(true).toString()", "a1true"),
        ("def t = new StringTokenizer('10.1.2.3', '.'); t.nextToken() + t.countTokens()", "103"),
        ("new CIDR('10.0.0.0/8').contains('10.1.2.3')", True),
        ("new CIDR('10.0.0.0/8').contains('11.1.2.3')", False),
        ("Processors.lowercase('AB')", "ab"),
        ("Processors.json('{\"a\": [1]}')", {"a": [1]}),
        ("field('a.b').get('x')", "x"),
    ],
)
def test_collections_and_helpers(source: str, expected: Any) -> None:
    assert run(source, {}) == expected


def test_map_shortcut_and_list_length_in_conditions() -> None:
    ctx = {"apache": {"access": {"remote_addresses": ["10.0.0.1", "8.8.8.8"]}}}
    cond = compile_script(
        "ctx.apache?.access?.remote_addresses != null && "
        "ctx.apache.access.remote_addresses.length > 0"
    )
    assert cond.execute(ctx) is True
    assert cond.execute({}) is False


def test_concurrent_modification() -> None:
    with pytest.raises(PainlessRuntimeError) as info:
        run("def m = ['a': 1, 'b': 2]; for (def k : m.keySet()) { m.remove(k); m.c = 1 }")
    assert (
        info.value.to_es()["caused_by"]["type"]
        in (
            "concurrent_modification_exception",
            "runtime_exception",
        )
        or info.value.to_es()
    )


def test_remove_nulls_script_like_integrations() -> None:
    src = """
    void handleMap(Map map) {
      for (def x : map.values()) {
        if (x instanceof Map) { handleMap(x); } else if (x instanceof List) { handleList(x); }
      }
      map.values().removeIf(v -> v == null);
    }
    void handleList(List list) {
      for (def x : list) {
        if (x instanceof Map) { handleMap(x); } else if (x instanceof List) { handleList(x); }
      }
    }
    handleMap(ctx);
    """
    ctx = {"a": None, "b": {"c": None, "d": 1}, "e": [{"f": None}]}
    run(src, ctx)
    assert ctx == {"b": {"d": 1}, "e": [{}]}


def test_execution_is_fast() -> None:
    script = compile_script(
        """
        if (ctx.http?.response?.status_code != null) {
          def code = ctx.http.response.status_code;
          ctx.event = ctx.event ?: [:];
          ctx.event.outcome = code < 400 ? 'success' : 'failure';
        }
        def parts = ctx.message.splitOnToken(' ');
        ctx.first = parts.length > 0 ? parts[0].toLowerCase() : null;
        return ctx.first;
        """
    )
    docs = [{"http": {"response": {"status_code": 200}}, "message": "GET /x"} for _ in range(2000)]
    start = time.perf_counter()
    for d in docs:
        script.execute(d)
    per_doc = (time.perf_counter() - start) / len(docs)
    assert docs[0]["event"] == {"outcome": "success"}
    assert per_doc < 500e-6, per_doc


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Instant.ofEpochMilli(1577836800123L).toString()", "2020-01-01T00:00:00.123Z"),
        ("ZonedDateTime.parse('2020-01-01T10:15:30Z').getHour()", 10),
        (
            "ZonedDateTime.parse('2020-01-31T10:15:30Z').plusMonths(1).format("
            "DateTimeFormatter.ISO_INSTANT)",
            "2020-02-29T10:15:30Z",
        ),
        (
            "ZonedDateTime.parse('2020-01-01T10:15:30Z').format(DateTimeFormatter.ofPattern("
            "'yyyy/MM/dd HH:mm'))",
            "2020/01/01 10:15",
        ),
        (
            "ZonedDateTime.ofInstant(Instant.ofEpochSecond(1577836800L), ZoneId.of('Europe/Paris'))"
            ".toString()",
            "2020-01-01T01:00+01:00[Europe/Paris]",
        ),
        (
            "ChronoUnit.DAYS.between(ZonedDateTime.parse('2020-01-01T00:00:00Z'), "
            "ZonedDateTime.parse('2020-03-01T00:00:00Z'))",
            60,
        ),
        ("ZonedDateTime.parse('2020-01-01T10:15:30Z').toInstant().toEpochMilli()", 1577873730000),
        (
            "ctx.t = ZonedDateTime.parse('2020-01-01T10:15:30.5Z'); ctx.t",
            "2020-01-01T10:15:30.500Z",
        ),
    ],
)
def test_java_time(source: str, expected: Any) -> None:
    assert run(source, {}) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[3, 1, 2, 3].stream().filter(x -> x > 1).distinct().sorted()"
            ".collect(Collectors.toList())",
            [2, 3],
        ),
        ("['a', 'b'].stream().map(x -> x.toUpperCase()).collect(Collectors.joining(','))", "A,B"),
        ("[1, 2].stream().mapToInt(x -> x).sum()", 3),
        ("[].stream().findFirst().orElse('none')", "none"),
    ],
)
def test_streams(source: str, expected: Any) -> None:
    assert run(source, {}) == expected


def test_drop_empty_fields_script() -> None:
    src = """
    boolean drop(Object o) {
      if (o == null || o == '') { return true; }
      else if (o instanceof Map) {
        ((Map) o).values().removeIf(v -> drop(v)); return (((Map) o).size() == 0);
      } else if (o instanceof List) {
        ((List) o).removeIf(v -> drop(v)); return (((List) o).length == 0);
      }
      return false;
    }
    drop(ctx);
    """
    ctx = {"a": "", "b": {"c": None, "d": [None, "", {"e": ""}], "f": 0}, "g": "x"}
    run(src, ctx)
    assert ctx == {"b": {"f": 0}, "g": "x"}


def test_processors_helpers() -> None:
    community = (
        "Processors.communityId('123.124.125.126', '55.56.57.58', 6, 'tcp', 12345, 80, null, null)"
    )
    assert run(community) == "1:9qr9Z1LViXcNwtLVOHZ3CL8MlyM="
    assert run("Processors.bytes('1kb')") == 1024
    assert run("Processors.urlDecode('foo%20bar')") == "foo bar"
    assert run("Processors.uriParts('http://x.com/a')")["domain"] == "x.com"
    ctx: dict[str, Any] = {"j": '{"a": 1}'}
    run("Processors.json(ctx, 'j')", ctx)
    assert ctx == {"j": '{"a": 1}', "a": 1}
    with pytest.raises(PainlessRuntimeError) as info:
        run("Processors.bytes('zz')")
    assert info.value.to_es()["caused_by"]["type"] == "illegal_argument_exception"


def test_field_and_metadata_api() -> None:
    ctx: dict[str, Any] = {"conditional.field": "bar", "a": {"b.c": 1}, "_index": "test"}
    assert run("field('conditional.field').get('')", ctx) == "bar"
    assert run("field('a.b.c').get(0)", ctx) == 1
    assert run("field('a.x').exists()", ctx) is False
    run("def m = metadata(); m.index += '2'", ctx)
    assert ctx["_index"] == "test2"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'hello'.encodeBase64()", "aGVsbG8="),
        ("'aGVsbG8='.decodeBase64()", "hello"),
        ("'abc'.sha1()", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("Base64.getEncoder().encodeToString('hi'.getBytes(StandardCharsets.UTF_8))", "aGk="),
        ("new String(Base64.getDecoder().decode('aGk='), StandardCharsets.UTF_8)", "hi"),
        ("'ab'.chars().sum()", 195),
    ],
)
def test_encodings_and_digests(source: str, expected: Any) -> None:
    assert run(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "LocalDateTime.parse('2020-01-02T03:04:05').atZone(ZoneId.of('Europe/Paris'))"
            ".toInstant().toString()",
            "2020-01-02T02:04:05Z",
        ),
        ("LocalDate.parse('2020-01-02').plusDays(30).toString()", "2020-02-01"),
        (
            "LocalDateTime.parse('02/01/2020 03:04', "
            "DateTimeFormatter.ofPattern('dd/MM/yyyy HH:mm')).toString()",
            "2020-01-02T03:04",
        ),
    ],
)
def test_local_date_time(source: str, expected: Any) -> None:
    assert run(source) == expected


def test_comparators() -> None:
    src = "def l = ['bb', 'a', 'cc']; l.sort(Comparator.comparing(x -> x.length()).reversed()); l"
    assert run(src) == ["bb", "cc", "a"]
    src = (
        "def l = ['cc', 'a', 'bb']; "
        "l.sort(Comparator.comparing(x -> x.length()).thenComparing(x -> x)); l"
    )
    assert run(src) == ["a", "bb", "cc"]
    assert run("def l = [3, 1, 2]; l.sort(Comparator.reverseOrder()); l") == [3, 2, 1]


def test_exact_math_and_int_streams() -> None:
    assert run("Math.toIntExact(5L)") == 5
    assert run("Math.multiplyExact(3L, 4)") == 12
    with pytest.raises(PainlessRuntimeError) as info:
        run("Math.addExact(2147483647, 1)")
    assert info.value.to_es()["caused_by"]["type"] == "arithmetic_exception"
    src = "IntStream.range(0, 3).map(i -> i * 2).boxed().collect(Collectors.toList())"
    assert run(src) == [0, 2, 4]
    assert run("def l = ['a']; String[] a = l.toArray(new String[0]); a.length") == 1
