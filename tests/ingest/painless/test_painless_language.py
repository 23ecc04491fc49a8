"""Focused tests of the Painless language: operators, Java numbers, control flow, lambdas."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest.painless import (
    PainlessCompileError,
    PainlessRuntimeError,
    compile_script,
)
from fleetpkg.ingest.values import JLong


def run(source: str, ctx: dict[str, Any] | None = None, **params: Any) -> Any:
    return compile_script(source).execute(ctx if ctx is not None else {}, params)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3),
        ("-7 / 2", -3),
        ("-7 % 3", -1),
        ("7.0 / 2", 3.5),
        ("1 / 2.0", 0.5),
        ("2147483647 + 1", -2147483648),
        ("9223372036854775807L + 1", -9223372036854775808),
        ("int x = 2147483647; long y = x + 1L; y", 2147483648),
        ("long x = 5; x * 1000000000", 5000000000),
        ("def x = 5L; x * 1000000000", 5000000000),
        ("-2147483648", -2147483648),
        ("1 << 33", 2),
        ("1L << 33", 8589934592),
        ("-16 >> 2", -4),
        ("-16 >>> 28", 15),
        ("5 & 3 | 8 ^ 1", 9),
        ("~5", -6),
        ("(int) 3.99", 3),
        ("(int) -3.99", -3),
        ("(long) 1e20", 9223372036854775807),
        ("(byte) 200", -56),
        ("(char) 65", "A"),
        ("(int) (char) 'c'", 99),
        ("(char) 'a' + 1", 98),
        ("'a' + 1", "a1"),
        ("1.0 / 0", float("inf")),
        ("true && !false", True),
        ("1 < 2 == true", True),
        ("1 == 1.0", True),
        ("'a' == 'a'", True),
        ("[1, 2] == [1, 2]", True),
        ("['a': 1] == ['a': 1]", True),
        ("null == null", True),
        ("def x = 1; x === 1", True),
        ("1 > 2 ? 'y' : 'n'", "n"),
        ("int i = 0; i += 2.7; i", 2),
        ("String s = 'a'; s += 1; s += null; s", "a1null"),
        ("int i = 5; i++ + ++i", 12),
        ("def x = 10; x -= 3; x *= 2; x /= 4; x", 3),
        ("def i = 1; i <<= 3; i", 8),
        ("0x1F + 010", 39),
        ("1e3", 1000.0),
        ("2F * 2", 4.0),
        ("'x' instanceof String", True),
        ("1 instanceof Integer", True),
        ("1L instanceof Long", True),
        ("[] instanceof List", True),
        ("[:] instanceof Map", True),
        ("null instanceof Object", False),
    ],
)
def test_expressions(source: str, expected: Any) -> None:
    result = run(source)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"cat" + 2F', "cat2.0"),
        ('"cat" + 2L', "cat2"),
        ('"cat" + true', "cattrue"),
        ('"cat" + null', "catnull"),
        ('"" + 1.0', "1.0"),
        ('"" + 1e10', "1.0E10"),
        ('"" + 0.0001', "1.0E-4"),
        ('"" + 123456789.0', "1.23456789E8"),
        ('"" + 0.1f', "0.1"),
        ('"" + (0.1 + 0.2)', "0.30000000000000004"),
        ('"" + [1, "a", null]', "[1, a, null]"),
        ('"" + ["a": 1]', "{a=1}"),
        ('"" + (1.0/0)', "Infinity"),
        ('"" + -0.0', "-0.0"),
    ],
)
def test_string_concat(source: str, expected: str) -> None:
    assert run(source) == expected


def test_control_flow() -> None:
    src = """
    int total = 0;
    for (int i = 0; i < 10; i++) { if (i % 2 == 0) { continue; } if (i > 7) { break; } total += i; }
    def j = 0; while (j < 3) { j++ } do { j += 10 } while (j < 5);
    for (def x : [1, 2, 3]) { total += x }
    for (x in [4]) total += x;
    return total + j;
    """
    assert run(src) == 16 + 10 + 13


def test_functions_and_recursion() -> None:
    src = """
    int fib(int n) { n < 2 ? n : fib(n - 1) + fib(n - 2) }
    void touch(Map m) { m.touched = true }
    touch(ctx); return fib(15);
    """
    ctx: dict[str, Any] = {}
    assert run(src, ctx) == 610
    assert ctx == {"touched": True}


def test_lambdas_and_captures() -> None:
    src = """
    int base = 10;
    def l = [3, 1, 2];
    l.sort((a, b) -> b - a);
    def out = l.collect(x -> x * base);
    def total = [];
    l.each(x -> { total.add(x); });
    return [out, l.findAll(x -> x > 1), l.any(x -> x == 3), l.sum(), total,
            l.collect(String::valueOf), l.join('-'), l.split(x -> x > 1)];
    """
    expected = [[30, 20, 10], [3, 2], True, 6.0, [3, 2, 1], ["3", "2", "1"], "3-2-1", [[3, 2], [1]]]
    assert run(src) == expected


def test_ctx_mutation_and_null_safety() -> None:
    ctx: dict[str, Any] = {"a": {"b": 1}, "tags": ["x"]}
    run(
        "ctx.a.c = 2; ctx['d'] = [:]; ctx.d.e = 5L; ctx.tags.add('y'); ctx.remove('zz');"
        "ctx.put('n', ctx?.missing?.deep); ctx.f = 1.5f; ctx.g = (char) 'q';",
        ctx,
    )
    assert ctx == {
        "a": {"b": 1, "c": 2},
        "d": {"e": 5},
        "tags": ["x", "y"],
        "n": None,
        "f": 1.5,
        "g": "q",
    }
    assert type(ctx["d"]["e"]) is JLong  # a Long stays a Long in ctx (prints as a plain int)
    assert type(ctx["f"]) is float
    assert type(ctx["g"]) is str
    assert run("ctx?.x?.y != null", {}) is False
    assert run("ctx.a?.b", {"a": None}) is None


def test_condition_is_last_expression() -> None:
    assert run("ctx.a == 'b'", {"a": "b"}) is True
    assert run("ctx.a = 1") == 1  # the last expression statement is the value
    assert run("def x = 1; x + 1") == 2


def test_try_catch_throw() -> None:
    src = """
    try { throw new IllegalArgumentException('boom'); }
    catch (IllegalArgumentException e) { return 'caught ' + e.getMessage(); }
    """
    assert run(src) == "caught boom"
    assert run("try { ctx.a.b.c = 1 } catch (NullPointerException e) { return 'npe' }") == "npe"
    assert run("try { Integer.parseInt('x') } catch (Exception e) { return e.getMessage() }") == (
        'For input string: "x"'
    )


def test_runtime_errors_shape() -> None:
    with pytest.raises(PainlessRuntimeError) as info:
        run("def x = null;\nx.length();")
    body = info.value.to_es()
    assert body["reason"] == "runtime error"
    assert body["caused_by"]["type"] == "null_pointer_exception"
    assert body["script_stack"][1].endswith("^---- HERE")
    assert body["position"]["offset"] == 15
    with pytest.raises(PainlessRuntimeError) as info:
        run("throw new IllegalStateException('bad')")
    assert info.value.to_es()["caused_by"] == {"type": "illegal_state_exception", "reason": "bad"}
    with pytest.raises(PainlessRuntimeError) as info:
        run("def l = [1]; l[5]")
    assert info.value.to_es()["caused_by"]["type"] == "index_out_of_bounds_exception"
    with pytest.raises(PainlessRuntimeError) as info:
        run("int x = 1; x / 0")
    assert info.value.to_es()["caused_by"]["type"] == "arithmetic_exception"
    with pytest.raises(PainlessRuntimeError) as info:
        run("String s = params.n;", n=1)
    assert info.value.to_es()["caused_by"]["type"] == "class_cast_exception"


def test_loop_limit() -> None:
    with pytest.raises(PainlessRuntimeError) as info:
        run("while (true) {}")
    assert "maximum number of statements" in info.value.message
    with pytest.raises(PainlessRuntimeError):
        run("try { for (;;) {} } catch (Exception e) { return 1 }")
    assert run("int n = 0; for (int i = 0; i < 999999; i++) { n++ } n") == 999999
    with pytest.raises(PainlessRuntimeError) as info:
        run("for (int x = 0; x < 1000000; ++x) {}")  # ES: WhenThingsGoWrongTests.testLoopLimits
    assert info.value.to_es()["caused_by"]["type"] == "painless_error"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("int i = params.a ?: 1;", "Elvis operator cannot return primitives"),
        ("(char) 'cc'", "Cannot cast [String] with length greater than one to [char]."),
        ("Pattern.compile('x')", "[java.util.regex.Pattern, compile/1]"),
        ("def x = ; ", "invalid sequence of tokens"),
        ("x + 1", "cannot resolve symbol [x]"),
        ("int i = 1.5;", "Cannot cast from [double] to [int]."),
        ("break;", "Break statement outside of a loop."),
        ("2147483648", "Invalid int constant"),
    ],
)
def test_compile_errors(source: str, message: str) -> None:
    with pytest.raises(PainlessCompileError) as info:
        compile_script(source)
    body = info.value.to_es()
    assert body["reason"] == "compile error"
    assert body["lang"] == "painless"
    assert message in body["caused_by"]["reason"]
    cast = "Cannot cast" in message
    expected_type = "class_cast_exception" if cast else "illegal_argument_exception"
    assert body["caused_by"]["type"] == expected_type
    assert body["script_stack"][1].endswith("^---- HERE")


def test_params_are_read_only_and_defaults() -> None:
    script = compile_script("params.x + 1", params={"x": 1})
    assert script.execute({}) == 2
    assert script.execute({}, {"x": 5}) == 6
    with pytest.raises(PainlessRuntimeError):
        compile_script("params.put('y', 1)").execute({}, {})


def test_user_function_typed_return_and_statics() -> None:
    src = """
    long twice(long v) { return v * 2 }
    return [twice(2147483647), Math.max(1, 2.5), Math.round(2.5), Math.abs(-3), Integer.MAX_VALUE,
            Long.parseLong('12'), Double.parseDouble('1.5'), Boolean.parseBoolean('TRUE'),
            Integer.toHexString(-1), Math.floor(2.7), Character.isDigit((char) '7')];
    """
    assert run(src) == [4294967294, 2.5, 3, 3, 2147483647, 12, 1.5, True, "ffffffff", 2.0, True]


def test_list_shortcuts_and_decimals() -> None:
    assert run("def l = [[1, 2], 3]; l.0.1 = 5; l.0") == [1, 5]
    assert run("ctx.a.0", {"a": ["x"]}) == "x"
    assert run("1.5 + .5") == 2.0


def test_runtime_script_stack_is_the_statement() -> None:
    src = "def a = 1;\nctx.x.y = a;\nreturn a;"
    with pytest.raises(PainlessRuntimeError) as info:
        run(src, {})
    body = info.value.to_es()
    assert body["script_stack"][0] == "ctx.x.y = a;\n"
    assert body["position"]["start"] == 11
    assert body["script"] == src


def test_debug_explain() -> None:
    with pytest.raises(PainlessRuntimeError) as info:
        run("Debug.explain(ctx.a)", {"a": {"b": 1}})
    body = info.value.to_es()
    assert body["caused_by"] == {"type": "painless_explain_error", "reason": None}
    assert body["to_string"] == "{b=1}"
    assert body["java_class"] == "java.util.HashMap"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def l = [1]; l.collect(x -> { l = null; return x })", "Variable [l] is read-only."),
        ("int x = 0; [1].collect(x -> x)", "lambda parameter [x] is already defined"),
    ],
)
def test_lambda_compile_rules(source: str, message: str) -> None:
    with pytest.raises(PainlessCompileError) as info:
        compile_script(source)
    assert info.value.message == message


def test_lambda_forms() -> None:
    src = "int applyOne(IntFunction arg) { arg.apply(1) } applyOne(int x -> x + 1)"
    assert run(src) == 2
    assert run("[1, 1].stream().mapToInt(byte x -> x).sum()") == 2
    assert run("int x = 5; return Optional.empty().orElseGet(() -> x);") == 5
    assert run("int foo(Function f) { return f.apply(1) } return foo(x -> foo(y -> x + 1))") == 2
    with pytest.raises(PainlessRuntimeError) as info:
        run("Optional.empty().orElseGet(x -> x);")
    assert "Incorrect number of parameters" in info.value.message
