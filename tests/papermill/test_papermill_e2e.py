"""End to end: papermill runs Java notebooks with the installed hpc-kernel kernelspec, the
parameters injected by papermill-java, and the values arrive in JShell with their Java types."""
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from papermill_helpers import (  # noqa: F401 (java_kernel, run_papermill: fixtures)
    EXECUTION_TIMEOUT,
    KERNEL_NAME,
    PARAMS_NOTEBOOK,
    errors_of,
    java_kernel,
    papermill,
    run_papermill,
    stdout_of,
)

BRIEF_ARGS = ["-p", "n", "100", "-p", "name", "x", "-p", "ratio", "0.5", "-p", "flag", "true",
              "-p", "items", "[1, 2]", "-y", "m: {a: 1}"]


def injected_cell(nb):
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "no injected-parameters cell"
    return cells[0]


def lines_of(text):
    return dict(line.split(" = ", 1) for line in text.strip().splitlines())


def test_params_notebook_with_cli_parameters(run_papermill):
    proc, nb = run_papermill(PARAMS_NOTEBOOK, *BRIEF_ARGS)
    assert errors_of(nb) == []
    # The injected cell comes right after the parameters cell.
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags.index(["injected-parameters"]) == tags.index(["parameters"]) + 1
    # papermill puts the -y parameters first, then the -p ones.
    assert injected_cell(nb).source.splitlines() == [
        "// Parameters",
        'Map<String, Object> m = Map.of("a", 1);',
        "int n = 100;",
        'String name = "x";',
        "double ratio = 0.5;",
        'String flag = "true";',
        'String items = "[1, 2]";',
    ]
    assert lines_of(stdout_of(nb.cells[-1])) == {
        "n": "Integer 100",
        "name": "String x",
        "ratio": "Double 0.5",
        # papermill's -p turns only True/False/None and numbers into non-strings:
        "flag": "String true",
        "items": "String [1, 2]",
        "m": "Map{String a: Integer 1}",
        "n.class": "Integer",
    }
    # ... and says how to pass them typed.
    assert "parameter 'flag' is the String 'true'" in proc.stderr
    assert "-p flag True or -y 'flag: true'" in proc.stderr
    assert "-y 'items: [1, 2]'" in proc.stderr
    assert nb.metadata.papermill.parameters["n"] == 100


def test_params_notebook_with_typed_parameters(run_papermill):
    proc, nb = run_papermill(
        PARAMS_NOTEBOOK,
        "-p", "n", "3000000000", "-r", "name", "Zürich \"HQ\" \\u000a 😀",
        "-p", "ratio", "1e-3", "-p", "flag", "True",
        "-y", "items: [1, two, 3.5, [true], null]",
        "-y", "m: {a: 1, b: {c: [x, null]}, d: null}",
    )
    assert errors_of(nb) == []
    assert "papermill-java" not in proc.stderr  # no hints: nothing here looks mistyped
    assert lines_of(stdout_of(nb.cells[-1])) == {
        "n": "Long 3000000000",
        "name": 'String Zürich "HQ" \\u000a 😀',
        "ratio": "Double 0.001",
        "flag": "Boolean true",
        "items": "List[Integer 1, String two, Double 3.5, List[Boolean true], null]",
        "m": "Map{String a: Integer 1, String b: Map{String c: List[String x, null]}, String d: null}",
        "n.class": "Long",
    }


def test_every_kind_of_value_compiles_and_round_trips(tmp_path, java_kernel):
    """The papermill Python API, a parameter of each shape, checked value by value in Java."""
    import papermill as pm

    text = 'q"uo\\te\nnl\r\ttab\x00\x01\x1b\x7f é ü ∑ 😀 \u2028 \\u000a end'
    params = {
        "i": 100, "big": 3_000_000_000, "huge": 2**70, "imin": -(2**31), "lmin": -(2**63),
        "x": 1.5, "e": 1e20, "tiny": 5e-324, "pinf": float("inf"), "nan": float("nan"), "whole": 2.0,
        "yes": True, "nothing": None, "text": text, "long_text": "é😀a" * 30000,
        "xs": [1, "a", None], "ys": [1, [2, 3], {"k": "v"}], "empty": [], "lone": [None],
        "m": {"a": 1}, "m11": {f"k{i}": i for i in range(11)}, "mnull": {"a": None, "b": [None]},
        "mixed": {1: "one", 2: "two"},  # (not keys of two types: nbformat cannot save those)
        "nested": {"a": {"b": {"c": [1, 2.5, True, None]}}},
    }
    nb = new_notebook(metadata={
        "kernelspec": {"name": java_kernel, "display_name": "Java", "language": "java"},
        "language_info": {"name": "java"},
    })
    defaults = new_code_cell("int i = 0;")
    defaults.metadata["tags"] = ["parameters"]
    check = new_code_cell("\n".join([
        'String cps(String s) { return s.codePoints().mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",")); }',
        'System.out.println("types = " + java.util.stream.Stream.of((Object) i, big, huge, imin, lmin, x, e, tiny, pinf, nan, whole, yes)'
        '.map(o -> o.getClass().getSimpleName()).collect(java.util.stream.Collectors.joining(" ")));',
        'System.out.println("numbers = " + i + " " + big + " " + huge + " " + imin + " " + lmin);',
        'System.out.println("doubles = " + x + " " + e + " " + tiny + " " + pinf + " " + nan + " " + whole);',
        'System.out.println("nothing = " + nothing + " " + yes);',
        'System.out.println("text = " + cps(text));',
        'System.out.println("long_text = " + long_text.length() + " " + long_text.hashCode());',
        'System.out.println("lists = " + xs + " " + ys + " " + empty + " " + lone);',
        'System.out.println("maps = " + m + " " + m11.size() + " " + new TreeMap<>(m11).firstKey() + " " + mnull + " " + mixed.get(1) + mixed.get(2) + " " + nested);',
    ]))
    nb.cells = [defaults, check]
    src = tmp_path / "zoo.ipynb"
    nbformat.write(nb, str(src))
    out = pm.execute_notebook(str(src), str(tmp_path / "zoo-out.ipynb"), parameters=params, kernel_name=java_kernel, cwd=str(tmp_path), progress_bar=False,
                              execution_timeout=EXECUTION_TIMEOUT)
    assert errors_of(out) == []
    got = lines_of(stdout_of(out.cells[-1]))

    def java_hash(s):
        h = 0
        units = s.encode("utf-16-le")
        for k in range(0, len(units), 2):
            h = (31 * h + int.from_bytes(units[k:k + 2], "little")) & 0xFFFFFFFF
        return h - (1 << 32) if h >= 1 << 31 else h

    assert got == {
        "types": "Integer Long BigInteger Integer Long Double Double Double Double Double Double Boolean",
        "numbers": f"100 3000000000 {2**70} -2147483648 -9223372036854775808",
        "doubles": "1.5 1.0E20 4.9E-324 Infinity NaN 2.0",
        "nothing": "null true",
        "text": ",".join(str(ord(c)) for c in text),
        "long_text": f"{len('é😀a'.encode('utf-16-le')) // 2 * 30000} {java_hash(params['long_text'])}",
        "lists": "[1, a, null] [1, [2, 3], {k=v}] [] [null]",
        "maps": "{a=1} 11 k0 {a=null, b=[null]} onetwo {a={b={c=[1, 2.5, true, null]}}}",
    }


def test_a_java_keyword_as_parameter_name_fails_clearly(tmp_path):
    proc = papermill(PARAMS_NOTEBOOK, tmp_path / "out.ipynb", "-k", KERNEL_NAME, "-p", "class", "1", cwd=tmp_path)
    assert proc.returncode != 0
    assert "parameter name 'class' is a reserved Java keyword" in proc.stderr
    assert not (tmp_path / "out.ipynb").exists() or "injected-parameters" not in (tmp_path / "out.ipynb").read_text()


def test_help_notebook_lists_the_java_parameters(tmp_path):
    proc = papermill("--help-notebook", PARAMS_NOTEBOOK, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    for expected in ["n: int (default 10)", "number of samples", 'name: String (default "default")',
                     "ratio: double (default 0.25)", "flag: boolean (default false)",
                     "items: List<Object> (default List.of())", "m: Map<String, Object> (default Map.of())"]:
        assert expected in text, text
