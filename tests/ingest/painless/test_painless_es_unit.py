"""Assertions restated from Elasticsearch's Painless unit tests (StringTests, AugmentationTests)."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest.painless import PainlessError, compile_script

CASES: list[tuple[str, Any]] = [
    # StringTests.testAppend / testAppendMultiple / testNestedConcats
    ("String s = 'cat'; return s + true;", "cattrue"),
    ("String s = 'cat'; return s + (byte)3;", "cat3"),
    ("String s = 'cat'; return s + (short)3;", "cat3"),
    ("String s = 'cat'; return s + (char)40;", "cat("),
    ("String s = 'cat'; return s + 2;", "cat2"),
    ("String s = 'cat'; return s + 2L;", "cat2"),
    ("String s = 'cat'; return s + 2F;", "cat2.0"),
    ("String s = 'cat'; return s + 2.0;", "cat2.0"),
    ("String s = 'cat'; return s + s;", "catcat"),
    ("String s = \"cat\"; return s + true + 'abc' + null;", "cattrueabcnull"),
    ("String s = 'foo'; String x = '10'; return s + Integer.parseInt(x + x) + s;", "foo1010foo"),
    # StringTests.testStringAPI
    ("return new String();", ""),
    ("String s = 'x'; return s.charAt(0);", "x"),
    ("String s = 'x'; return s.codePointAt(0);", 120),
    ("String s = 'x'; return s.compareTo('x');", 0),
    ("String s = 'x'; return s.concat('x');", "xx"),
    ("String s = 'xy'; return s.endsWith('y');", True),
    ("String t = 'abcde'; return t.indexOf('cd', 1);", 2),
    ("String t = 'abcde'; return t.isEmpty();", False),
    ("String t = 'abcde'; return t.length();", 5),
    ("String t = 'abcde'; return t.replace('ab', 'cd');", "cdcde"),
    ("String s = 'xy'; return s.startsWith('y');", False),
    ("String t = 'abcde'; return t.substring(4, 5);", "e"),
    ("String s = ' a '; return s.trim();", "a"),
    # StringTests.testStringAndCharacter
    ('return (char)"c"', "c"),
    ("return (String)(char)'c'", "c"),
    ("String s = 'c'; (char)s", "c"),
    # AugmentationTests
    ("ArrayList l = new ArrayList(); l.add(1); return l.getLength();", 1),
    ("List l = new ArrayList(); l.add(1); return l.length;", 1),
    (
        "int foo(Supplier t) { return t.get() } def l = new ArrayList(); l.add(1); "
        "return foo(l::getLength);",
        1,
    ),
    ("List l = new ArrayList(); l.add(1); l.any(x -> x == 1)", True),
    ("List l = new ArrayList(); return l.asCollection() === l", True),
    ("Set l = new HashSet(); l.add(5); return l.asList()[0]", 5),
    (
        "List l = new ArrayList(); l.add(1); List l2 = new ArrayList(); l.each(l2::add); "
        "return l2.size()",
        1,
    ),
    (
        "List l = new ArrayList(); l.add(2); Map m = new HashMap(); l.eachWithIndex(m::put); "
        "return m.get(2)",
        0,
    ),
    ("List l = new ArrayList(); l.add(1); l.add(2); l.every(x -> x == 1)", False),
    (
        "List l = new ArrayList(); l.add(1); l.add(2); "
        "l.findResults(x -> x == 1 ? x : null).size()",
        1,
    ),
    (
        "List l = new ArrayList(); l.add(1); l.add(-1); "
        "l.groupBy(x -> x < 0 ? 'negative' : 'positive').size()",
        2,
    ),
    ("List l = new ArrayList(); l.add('test'); l.add('ing'); l.join(',')", "test,ing"),
    ("def l = [1,2]; return l.sum()", 3.0),
    ("List l = new ArrayList(); l.add(1); l.add(2); l.sum(x -> x + 1)", 5.0),
    ("List l = new ArrayList(); l.add(1); l.add(2); l.collect(x -> x + 1)", [2, 3]),
    ("List l = new ArrayList(); l.add(1); l.add(2); l.collect(new HashSet(), x -> x + 1)", [2, 3]),
    ("List l = new ArrayList(); l.add(1); l.add(2); return l.find(x -> x == 2)", 2),
    ("List l = new ArrayList(); l.add(1); l.add(2); return l.findAll(x -> x == 2)", [2]),
    (
        "List l = new ArrayList(); l.add(1); l.add(2); "
        "return l.findResult(x -> x > 1 ? 'found' : null)",
        "found",
    ),
    (
        "List l = new ArrayList(); l.add(1); l.add(2); "
        "return l.findResult('notfound', x -> x > 10 ? 'found' : null)",
        "notfound",
    ),
    ("List l = new ArrayList(); l.add(1); l.add(2); return l.split(x -> x == 2)", [[2], [1]]),
    (
        "Map m = new TreeMap(); m.one = 1; m.two = 2; m.collect((key,value) -> key + value)",
        ["one1", "two2"],
    ),
    ("Map m = new TreeMap(); m.one = 1; m.two = 2; m.count((key,value) -> value == 2)", 1),
    (
        "Map m = new TreeMap(); m.one = 1; m.two = 2; Map m2 = new TreeMap(); m.each(m2::put); "
        "return m2.size()",
        2,
    ),
    ("Map m = new TreeMap(); m.one = 1; m.two = 2; m.every((key,value) -> value == 2)", False),
    (
        "Map m = new TreeMap(); m.one = 1; m.two = 2; return m.find((key,value) -> value == 2).key",
        "two",
    ),
    (
        "Map m = new TreeMap(); m.one = 1; m.two = 2; return m.findAll((key,value) -> value == 2)",
        {"two": 2},
    ),
    (
        "Map m = new TreeMap(); m.a = -1; m.b = 1; "
        "return m.findResults((key,value) -> value < 0 ? 'negative' : 'positive')",
        ["negative", "positive"],
    ),
    (
        "Map m = new TreeMap(); m.a = -1; m.b = 1; "
        "return m.groupBy((key,value) -> value < 0 ? 'negative' : 'positive')",
        {"negative": {"a": -1}, "positive": {"b": 1}},
    ),
    ("Map m = new TreeMap(); m.b = 1; m.a = 2; return m", {"a": 2, "b": 1}),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_es_unit_assertion(source: str, expected: Any) -> None:
    result = compile_script(source).execute({})
    if isinstance(expected, list) and "HashSet" in source:
        result = sorted(result)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(expected, dict):
        assert list(result) == list(expected)


@pytest.mark.parametrize(
    "source",
    ["return (String)(char)'cc'", "String s = 'cc'; (char)s"],
)
def test_char_cast_of_long_strings(source: str) -> None:
    with pytest.raises(PainlessError) as info:
        compile_script(source).execute({})
    body = info.value.to_es()
    assert body["caused_by"]["type"] == "class_cast_exception"
    assert (
        "Cannot cast [String] with length greater than one to [char]."
        in (body["caused_by"]["reason"])
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # WhenThingsGoWrongTests
        (
            "return 864000000000",
            "Invalid int constant [864000000000]. If you want a long constant "
            "then change it to [864000000000L].",
        ),
        (
            "return -864000000000",
            "Invalid int constant [-864000000000]. If you want a long constant "
            "then change it to [-864000000000L].",
        ),
        ("return 92233720368547758070", "Invalid int constant [92233720368547758070]."),
        ("return params.a? .b", "invalid sequence of tokens near ['.']."),
        (
            "'\\a'",
            "unexpected character ['\\a]. The only valid escape sequences in strings "
            "starting with ['] are [\\\\] and [\\'].",
        ),
        ("'cat", "unexpected character ['cat]."),
        (
            "1 * 1; return null;",
            "not a statement: result not used from multiplication operation [*]",
        ),
        ("false; return null;", "not a statement: boolean constant [false] not used"),
        ("[]; return null;", "not a statement: result not used from list initializer"),
        ("boolean x; x; return null;", "not a statement: variable [x] not used"),
        ("Integer.MAX_VALUE; return null;", "not a statement: result of dot operator [.] not used"),
        (
            "1 * 1 = 2; return null;",
            "invalid assignment: cannot assign a value to multiplication operation [*]",
        ),
        (
            "'1' = 1; return null;",
            "invalid assignment: cannot assign a value to string constant [1]",
        ),
        ("test0 = 1", "cannot resolve symbol [test0]"),
        ("int x; x = test0", "cannot resolve symbol [test0]"),
        ("[1 : test0]", "cannot resolve symbol [test0]"),
    ],
)
def test_compile_error_messages(source: str, message: str) -> None:
    with pytest.raises(PainlessError) as info:
        compile_script(source)
    assert info.value.to_es()["caused_by"]["reason"] == message


@pytest.mark.parametrize(
    ("source", "error_type"),
    [
        ("int x = params['missing']; return x;", "null_pointer_exception"),
        ("Double.parseDouble(params['missing'])", "null_pointer_exception"),
        ("float x = 15F; x <<= 2; return x;", "class_cast_exception"),
        ("def x = null; return x.toString()", "null_pointer_exception"),
        ("def x = 'test'; return x.getClass().toString()", "illegal_argument_exception"),
        ("void recurse(int x, int y) {recurse(x, y)} recurse(1, 2);", "stack_overflow_error"),
        ("boolean x = true; while (x) {}", "painless_error"),
        ("def x = true; do {int y = 5;} while (x)", "painless_error"),
    ],
)
def test_runtime_error_types(source: str, error_type: str) -> None:
    with pytest.raises(PainlessError) as info:
        compile_script(source).execute({}, {})
    assert info.value.to_es()["caused_by"]["type"] == error_type


def test_script_stack_points_at_the_dot() -> None:
    with pytest.raises(PainlessError) as info:
        compile_script("String x = null;\nreturn x.isEmpty();").execute({})
    assert info.value.to_es()["script_stack"] == ["return x.isEmpty();", "        ^---- HERE"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # BasicStatementTests
        ("int x = 4; if (x == 5) return 1; else if (x == 4) return 2; else return 0;", 2),
        ('String c = "a"; int x; while (x < 5) { c += "a"; ++x; } return c;', "aaaaaa"),
        (
            "byte[][] b = new byte[5][5]; byte x = 0, y; while (x < 5) { y = 0; "
            "while (y < 5) { b[x][y] = (byte)(x*y); ++y; } ++x; } return b;",
            [[x * y for y in range(5)] for x in range(5)],
        ),
        ('String c = "a"; for (int x = 0; x < 5; ++x) c += "a"; return c;', "aaaaaa"),
        ("short[][][] a = new short[1][2][3]; return a;", [[[0, 0, 0], [0, 0, 0]]]),
        ("int x = 0, y = 0; while (x < 10) { ++x; if (x == 1) continue; ++y; } return y;", 9),
        ("int x = 0, y = 0; while (x < 10) { ++x; if (x == 5) break; ++y; } return y;", 4),
        ("float a = 2; return a;", 2.0),
        ("long a = 2; return a;", 2),
    ],
)
def test_es_statements(source: str, expected: Any) -> None:
    assert compile_script(source).execute({}) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # EqualsTests
        ("float x = 3; float y = 3; return x === y;", True),
        ("def a = (char)'a'; def b = (char)'a'; if (a === b) return 1; else return 0;", 1),
        ("def a = 1; def b = 1; if (a === b) return 1; else return 0;", 1),
        ("def x = 1000; int y = 1000; return x == y;", True),
        ("def x = 1000; int y = 1000; return x === y;", False),
        ("def a = 1; Object b = new HashMap(); if (a === (Object)b) return 1; else return 0;", 0),
        ("Map x = new HashMap(); List y = new ArrayList(); return x == y;", False),
        # MapTests
        ("def x = ['a': 1, 'b': 2, 0: 2, -5: 'slot', 123.1: 12]; return x[123.1];", 12),
        ("Map x = ['a': 1, 0: 2, -5: 'slot']; x[0] = 'v'; return x[-5];", "slot"),
    ],
)
def test_es_equality_and_maps(source: str, expected: Any) -> None:
    assert compile_script(source).execute({}) == expected


def test_regex_errors_like_es() -> None:
    with pytest.raises(PainlessError) as info:
        compile_script("/\\ujjjj/")
    body = info.value.to_es()
    assert body["caused_by"]["reason"] == "Error compiling regex: Illegal Unicode escape sequence"
    assert body["script_stack"] == ["/\\ujjjj/", "   ^---- HERE"]
    with pytest.raises(PainlessError) as info:
        compile_script("12 ==~ /cat/")
    assert info.value.to_es()["caused_by"] == {
        "type": "class_cast_exception",
        "reason": "Cannot cast from [int] to [java.lang.String].",
    }
    split = "/,/.splitAsStream('cat,dog').collect(Collectors.toSet())"
    assert sorted(compile_script(split).execute({})) == ["cat", "dog"]
