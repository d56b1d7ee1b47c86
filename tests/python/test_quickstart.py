"""notebooks/quickstart.ipynb executed headless with nbclient against the installed kernelspec.

Checks: every code cell ran (has an execution_count) without an `error` output, the notebook
produces output at all, and the outputs contain the expected markers, derived from the
notebook's cells at test time:
  * a cell whose last line is an expression (no `;`/`}` at the end) has an execute_result;
  * `display(` gives display_data (`html(` -> text/html, `markdown(` -> text/markdown);
  * `System.out.println(` gives stdout; with a plain string literal, that literal;
  * known quickstart cells (KNOWN below, matched by a source fragment) give known values;
  * a cell may list extra expected substrings in its metadata: {"hpc_kernel": {"expect": [...]}}
    (matched against the cell's stream text and text/plain / text/html / text/markdown outputs).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from harness import KERNEL_NAME, kernel_language

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = Path(os.environ.get("HPC_QUICKSTART", REPO / "notebooks" / "quickstart.ipynb"))
OUT = REPO / "build-artifacts" / "quickstart" / "quickstart-test.ipynb"
PRINTLN_LITERAL = re.compile(r'System\.out\.println\(\s*"((?:[^"\\]|\\.)*)"\s*\)\s*;')


# source fragment -> (kind, expected): "text" = substring of the cell's text outputs,
# "mime" = a MIME type among its execute_result / display_data outputs
KNOWN = [
    ('System.out.println("Hello from Java "', ("text", "Hello from Java ")),
    ("p.norm()", ("text", "5.0")),
    ("distance(new Point(0, 0), new Point(6, 8))", ("text", "10.0")),
    ("IntStream.rangeClosed(1, 10).map(i -> i * i).sum()", ("text", "385")),
    ("new BufferedImage(", ("mime", "image/png")),
]


def _last_code_line(source: str) -> str:
    lines = [re.sub(r"//.*$", "", ln).rstrip() for ln in source.splitlines()]
    lines = [ln for ln in lines if ln.strip()]
    return lines[-1] if lines else ""


def _mimes(cell, kinds=("execute_result", "display_data")) -> set:
    return {m for o in cell.get("outputs", []) if o.output_type in kinds for m in o.data}


def _cell_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in out.data:
                    parts.append(out.data[mime] if isinstance(out.data[mime], str) else "".join(out.data[mime]))
    return "\n".join(parts)


def _stdout(cell) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stdout")


def _unescape(literal: str) -> str:
    return bytes(literal, "utf-8").decode("unicode_escape") if "\\" in literal else literal


@pytest.mark.slow
def test_quickstart_notebook_runs(kernel_name):
    if kernel_language(kernel_name) != "java":
        pytest.skip("the quickstart notebook is Java")
    assert NOTEBOOK.is_file(), f"{NOTEBOOK} does not exist"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code_cells, "the quickstart notebook has no code cells"

    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT)

    problems = []
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        head = cell.source.strip().splitlines()[0][:60]
        if cell.get("execution_count") is None:
            problems.append(f"cell {i} ({head!r}) did not run")
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i} ({head!r}) raised {out.ename}: {out.evalue}")
        if cell.source.lstrip().startswith("%"):
            continue  # magics: only "ran without error"
        kinds = {o.output_type for o in cell.get("outputs", [])}
        last = _last_code_line(cell.source)
        if last and not last.rstrip().endswith((";", "}", "{")) and not last.lstrip().startswith("import "):
            if "execute_result" not in kinds:
                problems.append(f"cell {i} ({head!r}) ends with an expression but has no execute_result")
        if "display(" in cell.source:
            if "display_data" not in kinds:
                problems.append(f"cell {i} ({head!r}) calls display(...) but has no display_data")
            for fn, mime in (("html(", "text/html"), ("markdown(", "text/markdown")):
                if fn in cell.source and mime not in _mimes(cell, ("display_data",)):
                    problems.append(f"cell {i} ({head!r}) displays {fn}...) but no {mime} output")
        stdout = _stdout(cell)
        if "System.out.println(" in cell.source and not stdout:
            problems.append(f"cell {i} ({head!r}) prints but has no stdout")
        for fragment, (kind, expected) in KNOWN:
            if fragment not in cell.source:
                continue
            if kind == "text" and expected not in _cell_text(cell):
                problems.append(f"cell {i} ({head!r}): output lacks {expected!r}: {_cell_text(cell)[:200]!r}")
            if kind == "mime" and expected not in _mimes(cell):
                problems.append(f"cell {i} ({head!r}): no {expected} output (got {sorted(_mimes(cell))})")
        for literal in PRINTLN_LITERAL.findall(cell.source):
            if _unescape(literal) not in stdout:
                problems.append(f"cell {i} ({head!r}): stdout lacks {literal!r}")
        text = _cell_text(cell)
        for marker in cell.get("metadata", {}).get("hpc_kernel", {}).get("expect", []):
            if marker not in text:
                problems.append(f"cell {i} ({head!r}): output lacks expected {marker!r}")
    assert not problems, "quickstart notebook (executed copy: %s):\n  %s" % (OUT, "\n  ".join(problems))
    assert any(c.get("outputs") for c in code_cells), "no code cell produced any output"
