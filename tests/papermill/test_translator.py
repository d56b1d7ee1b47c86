"""Unit tests of papermill-java's translation (no kernel needed)."""
import logging
import subprocess
import sys

import pytest
from papermill.exceptions import PapermillException
from papermill.translators import papermill_translators, translate_parameters

from papermill_java import JavaParameterError, JavaTranslator as T, java_string_literal, register


def decl(name, value):
    """The one declaration codify makes for a parameter."""
    lines = T.codify({name: value}).splitlines()
    assert lines[0] == "// Parameters"
    assert len(lines) == 2, lines
    return lines[1]


# ---- registration ---------------------------------------------------------------------------

def test_papermill_finds_the_translator_for_language_java():
    assert papermill_translators.find_translator("java-hpc", "java") is T
    assert translate_parameters("java-hpc", "java", {"n": 1}) == "// Parameters\nint n = 1;\n"


def test_papermill_alone_finds_it_through_the_entry_points():
    """A fresh interpreter that imports only papermill (as the papermill CLI does)."""
    code = (
        "from papermill.translators import papermill_translators as t\n"
        "print(t.find_translator('some-java-kernel', 'java').__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "papermill_java.translator"
    assert out.stderr == ""


def test_entry_points_are_declared():
    from importlib import metadata

    eps = metadata.entry_points()
    group = eps.select(group="papermill.translators") if hasattr(eps, "select") else eps.get("papermill.translators", [])
    assert {ep.name: ep.value for ep in group}.get("java") == "papermill_java.translator:JavaTranslator"


def test_register_under_a_kernel_name():
    register("some-kernel")
    assert papermill_translators.find_translator("some-kernel", "scala") is T


# ---- scalars --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, expected",
    [
        (100, "int n = 100;"),
        (0, "int n = 0;"),
        (-7, "int n = -7;"),
        (2**31 - 1, "int n = 2147483647;"),
        (-(2**31), "int n = -2147483648;"),
        (2**31, "long n = 2147483648L;"),
        (-(2**31) - 1, "long n = -2147483649L;"),
        (2**63 - 1, "long n = 9223372036854775807L;"),
        (-(2**63), "long n = -9223372036854775808L;"),
        (2**63, 'BigInteger n = new BigInteger("9223372036854775808");'),
        (-(2**70), 'BigInteger n = new BigInteger("-1180591620717411303424");'),
    ],
)
def test_integers(value, expected):
    assert decl("n", value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (1.5, "double x = 1.5;"),
        (0.5, "double x = 0.5;"),
        (2.0, "double x = 2.0;"),
        (-0.0, "double x = -0.0;"),
        (0.1, "double x = 0.1;"),
        (1e20, "double x = 1e+20;"),
        (1.5e-7, "double x = 1.5e-07;"),
        (5e-324, "double x = 5e-324;"),
        (float("inf"), "double x = Double.POSITIVE_INFINITY;"),
        (float("-inf"), "double x = Double.NEGATIVE_INFINITY;"),
        (float("nan"), "double x = Double.NaN;"),
    ],
)
def test_floats(value, expected):
    assert decl("x", value) == expected


def test_booleans_and_null():
    assert decl("flag", True) == "boolean flag = true;"
    assert decl("flag", False) == "boolean flag = false;"
    assert decl("nothing", None) == "Object nothing = null;"


def test_other_values_become_their_text():
    import datetime

    assert decl("day", datetime.date(2024, 1, 31)) == 'String day = "2024-01-31";'


# ---- strings --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, literal",
    [
        ("x", '"x"'),
        ("", '""'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("a\nb\r\nc\td", r'"a\nb\r\nc\td"'),
        ("\b\f", r'"\b\f"'),
        ("nul\x00end", r'"nul\000end"'),
        ("\x01" + "7", r'"\0017"'),  # three octal digits: the 7 stays a character
        ("\x1b[0m\x7f", r'"\033[0m\177"'),
        ("Zürich é", r'"Z\u00fcrich \u00e9"'),
        ("😀", r'"\ud83d\ude00"'),
        ("line\u2028sep", r'"line\u2028sep"'),
        ("\\u000a", r'"\\u000a"'),  # a backslash-u in the data must not become a unicode escape
        ("'single'", "\"'single'\""),
    ],
)
def test_string_literals(value, literal):
    assert java_string_literal(value) == literal
    assert decl("s", value) == f"String s = {literal};"


def test_string_literals_are_ascii():
    assert java_string_literal("日本語 ∑ 😀 \u0301").isascii()


def test_long_strings_are_joined_from_chunks():
    short = "a" * 65535
    assert java_string_literal(short) == f'"{short}"'
    long = "é😀a" * 30000  # 120000 UTF-16 units, far over a class-file constant's 65535 bytes
    lit = java_string_literal(long)
    assert lit.startswith('String.join("", "') and lit.endswith('")')
    chunks = lit[len('String.join("", ') : -1].split(", ")
    assert len(chunks) == 6
    decoded = "".join(c[1:-1].encode().decode("unicode_escape").encode("utf-16", "surrogatepass").decode("utf-16") for c in chunks)
    assert decoded == long
    assert java_string_literal("\x00" * 40000).startswith("String.join(")  # NUL takes 2 bytes


# ---- lists and maps -------------------------------------------------------------------------

def test_lists():
    assert decl("xs", [1, "a"]) == 'List<Object> xs = List.of(1, "a");'
    assert decl("xs", []) == "List<Object> xs = List.of();"
    assert decl("xs", [1, [2, 3], {"k": 1.5}]) == 'List<Object> xs = List.of(1, List.of(2, 3), Map.of("k", 1.5));'
    assert decl("xs", [True, 2**40, None]) == "List<Object> xs = Arrays.asList(true, 1099511627776L, (Object) null);"
    assert decl("xs", [None]) == "List<Object> xs = Arrays.asList((Object) null);"
    assert decl("xs", [[None], 1]) == "List<Object> xs = List.of(Arrays.asList((Object) null), 1);"
    assert decl("xs", (1, 2)) == "List<Object> xs = List.of(1, 2);"


def test_maps():
    assert decl("m", {"a": 1}) == 'Map<String, Object> m = Map.of("a", 1);'
    assert decl("m", {}) == "Map<String, Object> m = Map.of();"
    assert decl("m", {"a": {"b": [1, "c"]}}) == 'Map<String, Object> m = Map.of("a", Map.of("b", List.of(1, "c")));'
    assert decl("m", {1: "one", "two": 2}) == 'Map<Object, Object> m = Map.of(1, "one", "two", 2);'


def test_map_of_takes_ten_pairs_then_of_entries():
    ten = {f"k{i}": i for i in range(10)}
    assert decl("m", ten).startswith('Map<String, Object> m = Map.of("k0", 0, "k1", 1,')
    eleven = {f"k{i}": i for i in range(11)}
    line = decl("m", eleven)
    assert line.startswith('Map<String, Object> m = Map.ofEntries(Map.entry("k0", 0), Map.entry("k1", 1),')
    assert line.endswith('Map.entry("k10", 10));')


def test_maps_with_nulls_are_linked_hash_maps():
    assert decl("m", {"a": None, "b": 1}) == (
        'Map<String, Object> m = new LinkedHashMap<String, Object>() {{ put("a", null); put("b", 1); }};'
    )
    assert decl("m", {None: 1}) == "Map<Object, Object> m = new LinkedHashMap<Object, Object>() {{ put(null, 1); }};"


# ---- codify, comment, assign ----------------------------------------------------------------

def test_codify_keeps_papermills_order():
    code = T.codify({"n": 100, "name": "x", "ratio": 0.5, "flag": True, "items": [1, 2], "m": {"a": 1}})
    assert code == (
        "// Parameters\n"
        "int n = 100;\n"
        'String name = "x";\n'
        "double ratio = 0.5;\n"
        "boolean flag = true;\n"
        "List<Object> items = List.of(1, 2);\n"
        'Map<String, Object> m = Map.of("a", 1);\n'
    )


def test_comments():
    assert T.comment("Parameters") == "// Parameters"
    assert T.comment("two\nlines") == "// two\n// lines"
    assert T.comment("see \\u000a") == "// see \\\\u000a"
    assert T.codify({}, comment="Injected") == "// Injected\n"


def test_assign_without_a_type_uses_var_except_for_null():
    assert T.assign("x", "1") == "var x = 1;"
    assert T.assign("x", "null") == "Object x = null;"
    assert T.assign("x", "1", "long") == "long x = 1;"


# ---- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["class", "int", "new", "true", "null", "goto", "_"])
def test_java_keywords_are_refused(name):
    with pytest.raises(JavaParameterError, match="reserved Java keyword"):
        T.codify({name: 1})


@pytest.mark.parametrize("name", ["my-param", "1x", "", "a b", "x.y"])
def test_invalid_identifiers_are_refused(name):
    with pytest.raises(JavaParameterError, match="not a (valid Java identifier|Java identifier)"):
        T.codify({name: 1})


@pytest.mark.parametrize("name, why", [("yield", "restricted"), ("List", "hide the Java type"), ("Map", "hide the Java type")])
def test_names_that_would_break_later_code_are_refused(name, why):
    with pytest.raises(JavaParameterError, match=why):
        T.codify({name: 1})


@pytest.mark.parametrize("name", ["x", "$x", "_x", "x1", "camelCase", "café", "PAPERMILL_INPUT_PATH", "var", "record"])
def test_valid_names(name):
    assert decl(name, 1) == f"int {name} = 1;"


def test_the_error_is_a_papermill_exception():
    assert issubclass(JavaParameterError, PapermillException)
    with pytest.raises(PapermillException, match="'class'.*rename the parameter"):
        translate_parameters("java-hpc", "java", {"class": "x"})


# ---- papermill's -p gives strings: a hint ---------------------------------------------------

@pytest.mark.parametrize("value, hint", [("true", "-p flag True"), ("[1, 2]", "-y 'flag: [1, 2]'"), ("{a: 1}", "-y"), ("null", "None")])
def test_strings_that_look_typed_get_a_warning(caplog, value, hint):
    with caplog.at_level(logging.WARNING, logger="papermill.java"):
        assert decl("flag", value) == f"String flag = {java_string_literal(value)};"
    assert hint in caplog.text


def test_plain_strings_get_no_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="papermill.java"):
        decl("name", "x")
    assert caplog.text == ""


# ---- papermill --help-notebook --------------------------------------------------------------

def test_inspect_reads_the_parameters_cell():
    cell = {
        "source": (
            "// the inputs\n"
            "int n = 10;                  // number of samples\n"
            'String name = "a // b; c";   // label\n'
            "final double ratio = 0.25;\n"
            "List<Object> items = List.of(1,\n"
            "    2);                      // two lines\n"
            "Map<String,Object> m = Map.of();\n"
            "System.out.println(n);\n"
            "int[] xs = {1, 2};\n"
        )
    }
    got = [(p.name, p.inferred_type_name, p.default, p.help) for p in T.inspect(cell)]
    assert got == [
        ("n", "int", "10", "number of samples"),
        ("name", "String", '"a // b; c"', "label"),
        ("ratio", "double", "0.25", ""),
        ("items", "List<Object>", "List.of(1, 2)", "two lines"),
        ("m", "Map<String, Object>", "Map.of()", ""),
        ("xs", "int[]", "{1, 2}", ""),
    ]
