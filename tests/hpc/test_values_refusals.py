"""What a Java %%hpc cell is refused for before anything is written or submitted, on the live Slurm
(and over SSH): a compile error or a type error (with the cell's line and column), a value that cannot
be shipped, inputs above the cap. Each refused cell carries a unique --job-name, and Slurm (squeue,
and sacct with accounting) and the kernel's ledger must know no job by it. Also: --max-input raises
the cap, and an output above the output cap fails the cell with its size and where it is kept."""
import re
from pathlib import Path

import pytest

from values_support import (VALUE_CLUSTERS, assert_nothing_submitted, error_text, jobs_named, mentions_size,
                            start, unique_name, notebook_kernel)

NOTEBOOK = ["import java.io.*;",
            "record Point(int x, int y) {}",
            'List<String> names = List.of("ada", "grace");',
            'String bigInput = "x".repeat(1_100_000);',
            'String halfA = "a".repeat(600_000);\nString halfB = "b".repeat(600_000);',
            "Thread worker = new Thread(() -> {});",
            'Runnable job = () -> System.out.println("from a lambda");',
            "InputStream source = new ByteArrayInputStream(new byte[] {1, 2, 3});"]


vk = notebook_kernel(*NOTEBOOK)


def refused(vk, options, body):
    """Runs `%%hpc --job-name UNIQUE OPTIONS` + body, which must fail and submit nothing; returns (run, text)."""
    name = unique_name()
    before = len(vk.ledger())
    run = vk.run(f"%%hpc --job-name {name} {options}\n{body}")
    assert run.status == "error", f"not refused: {run.stdout[-2000:]}"
    assert_nothing_submitted(vk, run, name, before)
    return run, error_text(run)


def line_and_column(text):
    """(line, column) as the error quotes them: 'line 3, column 11' or '3:11'."""
    found = re.search(r"line (\d+)\D{1,12}col(?:umn)? (\d+)", text) or re.search(r"\b(\d+):(\d+)\b", text)
    assert found, f"no line and column in {text!r}"
    return int(found.group(1)), int(found.group(2))


def test_a_typo_is_refused_with_its_line_and_column(vk):
    run, text = refused(vk, "", 'int a = 1;\nSystem.out.printn("typo " + a);')
    assert "printn" in text
    # Lines as the notebook numbers them (the %%hpc line is line 1); javac places "cannot find
    # symbol" on the dot before the member: column 11.
    assert line_and_column(text) == (3, 11)


def test_a_type_error_is_refused_with_its_line_and_column(vk):
    run, text = refused(vk, "", 'int a = 1;\nint b = a + 1;\n    String s = b;\nSystem.out.println(s);')
    assert "incompatible types" in text
    assert line_and_column(text) == (4, 16)  # the indentation typed counts


def test_a_notebook_variable_used_with_the_wrong_type_is_refused(vk):
    # Compiled against the declared type of the notebook's variable: List<String>, not int.
    run, text = refused(vk, "", "int n = names;")
    assert "incompatible types" in text and re.search(r"List<(java\.lang\.)?String>", text), text
    assert line_and_column(text) == (2, 9)


def test_an_out_name_the_cell_does_not_declare_is_refused(vk):
    run, text = refused(vk, "--out nosuch", "int declared = 1;")
    assert "nosuch" in text


@pytest.mark.parametrize("variable, type_name, use", [
    ("worker", "Thread", "System.out.println(worker.getName());"),
    ("job", "Runnable", "job.run();"),
    ("source", "InputStream", "System.out.println(source.read());"),
])
def test_a_value_that_cannot_be_shipped_is_refused_naming_it(vk, variable, type_name, use):
    run, text = refused(vk, "", use)
    assert variable in run.error["evalue"], run.error["evalue"]
    assert type_name in text
    # And says what to do instead.
    assert re.search(r"inside the cell|in the cell|a path|file", text), text


def test_inputs_above_the_cap_are_refused_naming_the_variable_and_its_size(vk):
    run, text = refused(vk, "", "System.out.println(bigInput.length());")
    assert "bigInput" in run.error["evalue"] and mentions_size(run.error["evalue"]), run.error["evalue"]
    assert "--max-input" in text and "file" in text, "the refusal must say how to pass a large input"


def test_inputs_above_the_cap_together_name_each_variable(vk):
    run, text = refused(vk, "", "System.out.println(halfA.length() + halfB.length());")
    assert "halfA" in run.error["evalue"] and "halfB" in run.error["evalue"], run.error["evalue"]
    assert len(re.findall(r"\d[\d,.]*\s*(?:bytes|B|KiB|MiB|kB|KB|MB)\b", run.error["evalue"])) >= 2, \
        f"each variable's size: {run.error['evalue']}"


def test_max_input_raises_the_cap(vk):
    name = unique_name()
    run = vk.run(f"%%hpc --job-name {name} --max-input 2MiB\nSystem.out.println(\"length \" + bigInput.length());")
    assert run.status == "ok", error_text(run)
    assert "length 1100000" in run.stdout
    assert jobs_named(name), "the job ran without Slurm knowing its name"


@pytest.fixture(scope="module", params=VALUE_CLUSTERS)
def capped(request, tmp_path_factory):
    """A kernel whose cluster profile caps outputs at 1 MiB (profile key maxOutputBytes), so that the
    cap is crossed by a 2 MiB value rather than by the default's 64 MiB."""
    v = start(request.param, tmp_path_factory, profile_extra={"maxOutputBytes": "1MB"})
    yield v
    v.close()


def test_an_output_above_the_cap_fails_the_cell_with_its_size_and_file(capped):
    run = capped.run('%%hpc --out hugeOut,small\nString hugeOut = "y".repeat(2 * 1024 * 1024);\nint small = 7;')
    assert run.status == "error"
    evalue = run.error["evalue"]
    assert mentions_size(evalue), evalue
    # The file where the output is kept is named; the cluster's file system is this machine's (the SSH
    # user's work directory too), so it must be there, whole.
    paths = [Path(p.rstrip(".")) for p in re.findall(r"(/[^\s,;:()'\"]+)", evalue)]
    kept = [p for p in paths if p.is_file() and p.stat().st_size > 2 * 1024 * 1024]
    assert kept, f"no file holding the output is named: {evalue}"
    assert capped.run("hugeOut.length()").status == "error", "an output above the cap was bound"


def test_an_output_under_the_cap_binds(capped):
    # The same cap leaves a value under it alone: the refusal above is the cap's, not the size's in general.
    run = capped.run('%%hpc --out fine\nString fine = "z".repeat(512 * 1024);')
    assert run.status == "ok", error_text(run)
    assert capped.value("fine.length()") == str(512 * 1024)
