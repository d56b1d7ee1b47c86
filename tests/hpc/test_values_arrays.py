"""Arrays and the parallel map on the live Slurm (and over SSH): `--array SPEC --out r` gives the
notebook `List<T> r` in task-index order; `--for p:params --out result` runs one task per element and
gives `result` aligned with `params`, with `null` where a task failed, the cell failing with the
failed indexes and the other values bound."""
import re

from values_support import error_text, notebook_kernel

NOTEBOOK = ["record Point(int x, int y) {}",
            "List<Double> params = List.of(1.0, 4.0, -1.0, 9.0, 16.0);",
            "List<Point> points = List.of(new Point(3, 4), new Point(-5, 12), new Point(8, 15));",
            'String[] words = {"alpha", "beta", "gamma"};']


vk = notebook_kernel(*NOTEBOOK)


def test_array_out_is_a_list_in_task_index_order(vk):
    # Later tasks finish first, so arrival order is not index order.
    run = vk.run('%%hpc --array 0-3 --out r\nint task = Integer.parseInt(System.getenv("HPC_ARRAY_INDEX"));\n'
                 'Thread.sleep((3 - task) * 400L);\nint r = task * 10 + 1;')
    assert run.status == "ok", error_text(run)
    # Unboxing each element compiles only for List<Integer>.
    assert vk.value("int sum = 0;\nfor (int v : r) sum += v;\nr.size() + \" \" + r + \" \" + sum") == "4 [1, 11, 21, 31] 64"


def test_for_over_a_list_aligned_with_one_failing_element(vk):
    run = vk.run('%%hpc --for p:params --out result\n'
                 'if (p < 0) throw new IllegalArgumentException("negative " + p);\ndouble result = Math.sqrt(p);')
    assert run.status == "error"
    text = error_text(run)
    assert re.search(r"\[2\]", run.error["evalue"]), f"the failed index [2] is not named: {run.error['evalue']}"
    assert "negative -1.0" in text + run.stdout + run.stderr
    # Aligned with params; the failed element is null, the others are bound as Double.
    assert vk.value("result.size() + \" \" + result + \" \" + (result.get(1) + 0.5) + \" \" + (result.get(2) == null)") \
        == "5 [1.0, 2.0, null, 3.0, 4.0] 2.5 true"


def test_for_over_notebook_records_binds_a_list_of_the_declared_type(vk):
    run = vk.run("%%hpc --for q:points --out norm,shifted\ndouble norm = Math.hypot(q.x(), q.y());\n"
                 "Point shifted = new Point(q.x() + 1, q.y() - 1);")
    assert run.status == "ok", error_text(run)
    assert vk.value('norm + " " + shifted.get(1).x() + " " + (shifted.get(2).y() + 1)') == "[5.0, 13.0, 17.0] -4 15"


def test_for_over_an_array(vk):
    run = vk.run('%%hpc --for w:words --out lengths\nint lengths = w.length();\nw.toUpperCase()')
    assert run.status == "ok", error_text(run)
    assert vk.value("lengths.get(0) + lengths.get(1) * 10 + lengths.get(2) * 100") == str(5 + 40 + 500)
