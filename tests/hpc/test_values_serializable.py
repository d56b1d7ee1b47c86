"""Serializable values outside the JSON set, through a job and back, on the live Slurm (from the
kernel's machine and over SSH as a plain user): a java.util.BitSet, a notebook record holding one, a
plain notebook class without a no-argument constructor, a list of records. They travel in binary form
(Java serialization, read through an allow-list filter) without the cell naming them, come back with
--out, and the next plain cell uses them with their declared types and finds them equal to what was
computed on the node. A value that cannot travel in binary form either (a member that is not
Serializable, a JDK class outside the allow-list) is refused before anything is submitted, naming the
variable, its type and why; an --out value outside the allow-list fails the cell on the node."""
import hashlib
import json
import re

import pytest

from values_support import (VALUE_CLUSTERS, ValueKernel, assert_nothing_submitted, error_text, job_dir, notebook_kernel,
                            start, unique_name)

NOTEBOOK = [
    "import java.io.*;\nimport java.util.*;",
    "record P(int x, BitSet bits) implements Serializable {}",
    # No no-argument constructor, so not JSON-portable; its default serialVersionUID differs between
    # the kernel's class (REPL.$JShell$N$Tally) and the node's (hpccell.Tally).
    """class Tally implements Serializable {
    private final String label;
    private final TreeMap<String, Integer> counts = new TreeMap<>();
    Tally(String label) { this.label = label; }
    Tally add(String key, int n) { counts.merge(key, n, Integer::sum); return this; }
    String label() { return label; }
    @Override public boolean equals(Object o) {
        return o instanceof Tally t && t.label.equals(label) && t.counts.equals(counts);
    }
    @Override public int hashCode() { return label.hashCode() * 31 + counts.hashCode(); }
    @Override public String toString() { return "Tally(" + label + ", " + counts + ")"; }
}""",
    "BitSet bits = new BitSet();\nbits.set(3);\nbits.set(700);",
    "P p = new P(7, bits);",
    'Tally tally = new Tally("runs").add("a", 2);',
    "List<P> ps = new ArrayList<>(List.of(p, new P(-1, new BitSet())));",
    "record Locked(int x, Object guard) implements Serializable {}",
    "Locked locked = new Locked(1, new Object());",
    'java.text.DecimalFormat money = new java.text.DecimalFormat("0.00");',
]

vk = notebook_kernel(*NOTEBOOK)


def test_serializable_values_go_in_and_come_back_typed_and_equal(vk):
    run = vk.run('%%hpc --out bitsBack,pBack --out tallyBack,psBack\n'
                 'System.out.println("NODE:" + bits + " " + p + " " + tally + " " + ps);\n'
                 'BitSet bitsBack = (BitSet) bits.clone();\nbitsBack.set(9);\n'
                 'P pBack = new P(p.x() + 1, bitsBack);\n'
                 'Tally tallyBack = tally.add("b", p.x());\n'
                 'List<P> psBack = new ArrayList<>(ps);\npsBack.add(pBack);\n'
                 'bitsBack.cardinality()')
    assert run.status == "ok", f"{error_text(run)}\nstdout: {run.stdout[-3000:]}"
    # The node saw the notebook's values, rebuilt as the compiled cell's own classes.
    assert "NODE:{3, 700} P[x=7, bits={3, 700}] Tally(runs, {a=2}) [P[x=7, bits={3, 700}], P[x=-1, bits={}]]" in run.stdout
    assert run.result["text/plain"] == "3"
    # Bound with their declared types: these compile only if so, and the values equal what the node computed.
    assert vk.value('bitsBack.get(9) + " " + bitsBack.get(700) + " " + bitsBack.equals(pBack.bits())'
                    ' + " " + pBack.equals(new P(8, bitsBack)) + " " + (pBack.x() + 1)'
                    ' + " " + tallyBack.equals(new Tally("runs").add("a", 2).add("b", 7)) + " " + tallyBack.label().length()'
                    ' + " " + psBack.get(2).equals(pBack) + " " + psBack.get(1).bits().isEmpty() + " " + psBack.size()') \
        == "true true true true 9 true 4 true true 3"
    # The notebook's own values are untouched.
    assert vk.value('bits + " " + p.x() + " " + tally') == "{3, 700} 7 Tally(runs, {a=2})"

    manifest = json.loads((job_dir(vk, run.job_id()) / "manifest.json").read_text())
    shipped = {v["name"]: v for v in manifest["inputs"]}
    assert set(shipped) == {"bits", "p", "tally", "ps"}
    inputs = json.loads((job_dir(vk, run.job_id()) / "inputs.json").read_text())
    for name in ("bits", "p", "tally", "ps"):
        assert shipped[name]["encoding"] == "java-serialization", shipped[name]
        text = "java-serialized:" + inputs["@serialized"][name]
        assert shipped[name]["bytes"] == len(text) and shipped[name]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    returned = {v["name"]: v for v in manifest["returned"]}
    assert returned["pBack"]["type"] == "P" and returned["pBack"]["encoding"] == "java-serialization"
    assert returned["psBack"]["type"] == "List<P>"


def test_dry_run_says_which_values_would_travel_in_binary_form(vk):
    run = vk.run("%%hpc --dry-run\nSystem.out.println(bits + \" \" + tally);")
    assert run.status == "ok", error_text(run)
    shown = run.stdout + json.dumps(run.result or {})
    assert re.search(r"bits \(BitSet\): \d+ bytes, SHA-256 [0-9a-f]{64}, Java serialization", shown), shown
    assert re.search(r"tally \(Tally\): \d+ bytes, SHA-256 [0-9a-f]{64}, Java serialization", shown), shown


def test_a_record_redefined_with_the_same_fields_still_binds(vk):
    # The stream names the node's hpccell.Q; the kernel reads it as the notebook's Q of now.
    vk.ok("record Q(String name, BitSet on) implements Serializable {}")
    vk.ok('record Q(String name, BitSet on) implements Serializable { String shout() { return name.toUpperCase(); } }')
    run = vk.run('%%hpc --out q\nBitSet on = new BitSet();\non.set(1);\nQ q = new Q("node", on);')
    assert run.status == "ok", error_text(run)
    assert vk.value('q.shout() + q.on()') == "NODE{1}"


def test_a_binary_output_binds_in_a_new_kernel_on_attach(vk):
    # The stream names the node's class; a kernel that never saw the job binds it to its own P.
    run = vk.run('%%hpc --detach --out kept\nBitSet on = new BitSet();\non.set(11);\nP kept = new P(5, on);')
    assert run.status == "ok", error_text(run)
    job = run.job_id()
    assert job
    vk.ok(f"%hpc attach {job}")  # follows it to its end
    second = ValueKernel(vk.cluster, vk.home)
    try:
        second.ok("record P(int x, BitSet bits) implements java.io.Serializable {}")
        assert second.run("kept").status == "error", "a new kernel starts without kept"
        attached = second.run(f"%hpc attach {job}")
        assert attached.status == "ok", error_text(attached)
        assert second.value('kept.x() + " " + kept.bits() + " " + (kept instanceof P)') == "5 {11} true"
    finally:
        second.close()


def test_a_hostile_outputs_file_fails_the_attach_and_binds_nothing(vk):
    # The job's outputs file replaced after the job: a class outside the allow-list is refused when
    # the kernel reads it, and the notebook keeps what it had.
    run = vk.run('%%hpc --detach --out guarded\nP guarded = new P(1, new BitSet());')
    assert run.status == "ok", error_text(run)
    job = run.job_id()
    vk.ok(f"%hpc attach {job}")
    assert vk.value("guarded.x()") == "1"
    hostile = vk.value('var bo = new ByteArrayOutputStream();\n'
                       'try (var oo = new ObjectOutputStream(bo)) { oo.writeObject(new java.text.DecimalFormat("0")); }\n'
                       'Base64.getEncoder().encodeToString(bo.toByteArray())').strip('"')
    outputs = job_dir(vk, job) / "outputs.json"
    outputs.write_text(json.dumps({"@serialized": {"guarded": hostile}}))
    attached = vk.run(f"%hpc attach {job}")
    assert attached.status == "error"
    text = error_text(attached)
    assert "guarded" in text and "java.text.DecimalFormat, which is not allowed to travel in binary form" in text, text
    assert vk.value("guarded.x()") == "1", "the refused value replaced the notebook's"


def test_for_maps_a_cell_over_a_list_that_travels_in_binary_form(vk):
    vk.ok("List<BitSet> sets = new ArrayList<>();\nfor (int i = 1; i <= 3; i++) { BitSet b = new BitSet(); b.set(0, i * 2); sets.add(b); }")
    run = vk.run("%%hpc --for s:sets --out count\nint count = s.cardinality();")
    assert run.status == "ok", error_text(run)
    assert vk.value('count + " " + count.get(2).getClass().getSimpleName()') == "[2, 4, 6] Integer"


def refused(vk, body):
    name = unique_name()
    before = len(vk.ledger())
    run = vk.run(f"%%hpc --job-name {name}\n{body}")
    assert run.status == "error", f"not refused: {run.stdout[-2000:]}"
    assert_nothing_submitted(vk, run, name, before)
    return run, error_text(run)


def test_a_serializable_value_with_a_member_that_is_not_is_refused_before_submission(vk):
    run, text = refused(vk, "System.out.println(locked.x());")
    assert "locked" in run.error["evalue"] and "Locked" in text
    assert "java.lang.Object, which is not Serializable" in text, text


def test_a_jdk_class_outside_the_allow_list_is_refused_before_submission(vk):
    run, text = refused(vk, "System.out.println(money.format(1.5));")
    assert "money" in run.error["evalue"] and "DecimalFormat" in text
    assert "may not travel in binary form" in text, text


def test_an_output_outside_the_allow_list_fails_the_cell_on_the_node(vk):
    run = vk.run('%%hpc --out fmt\njava.text.DecimalFormat fmt = new java.text.DecimalFormat("#");')
    assert run.status == "error"
    text = error_text(run) + run.stderr
    assert "fmt" in text and "DecimalFormat" in text and "may not travel in binary form" in text, text


# --for / --array outputs in binary form: each task writes its value as a plain job does, the kernel
# gathers List<T> in task order (null where a task failed) and reads each element through the filter.

BINARY_FOR = ('%%hpc --for s:seeds --out marks,made\n'
              'if (s < 0) throw new IllegalStateException("bad seed " + s);\n'
              'BitSet marks = new BitSet();\nmarks.set(s);\nmarks.set(s * 10);\n'
              'P made = new P(s + 1, marks);')

EXPECTED = ('BitSet at(int s) { BitSet b = new BitSet(); b.set(s); b.set(s * 10); return b; }\n'
            'marks.size() + " " + marks.get(0).equals(at(3)) + " " + (marks.get(1) == null) + " " + marks.get(2).equals(at(7))'
            ' + " " + made.get(0).equals(new P(4, at(3))) + " " + (made.get(1) == null) + " " + made.get(2).equals(new P(8, at(7)))'
            ' + " " + (made.get(2).x() + marks.get(0).cardinality())')


def gathered_text(outputs_by_task, name):
    """The binding text the kernel builds from the tasks' files (None: a failed task), as the manifest describes it."""
    elements = [None if o is None else "java-serialized:" + o["@serialized"][name] for o in outputs_by_task]
    return "java-serialized-list:" + json.dumps(elements, separators=(",", ":"))


def test_for_outputs_in_binary_form_with_a_failing_task(vk):
    vk.ok("List<Integer> seeds = List.of(3, -1, 7);")
    run = vk.run(BINARY_FOR)
    assert run.status == "error", "a failed task fails the cell"
    assert "Array tasks [1] failed: marks, made have null at their index" in run.error["evalue"], error_text(run)
    assert "bad seed -1" in error_text(run) + run.stdout + run.stderr
    # Bound as List<BitSet> and List<P> (these compile only if so), equal to what the tasks computed.
    assert vk.value(EXPECTED) == "3 true true true true true true 10"

    d = job_dir(vk, run.job_id())
    files = [json.loads((d / f"outputs.{i}.json").read_text()) if i != 1 else None for i in range(3)]
    assert not (d / "outputs.1.json").exists()
    returned = {v["name"]: v for v in json.loads((d / "manifest.json").read_text())["returned"]}
    for name, type_ in (("marks", "List<BitSet>"), ("made", "List<P>")):
        text = gathered_text(files, name).encode()
        assert returned[name]["type"] == type_ and returned[name]["encoding"] == "java-serialization", returned[name]
        assert returned[name]["bytes"] == len(text) and returned[name]["sha256"] == hashlib.sha256(text).hexdigest()


def test_binary_for_outputs_bind_in_a_new_kernel_on_attach_and_a_hostile_task_file_is_refused(vk):
    vk.ok("List<Integer> seeds = List.of(3, -1, 7);")
    run = vk.run(BINARY_FOR.replace("%%hpc ", "%%hpc --detach ", 1))
    assert run.status == "ok", error_text(run)
    job = run.job_id()
    assert job
    followed = vk.run(f"%hpc attach {job}")  # follows it to its end, and binds
    assert followed.status == "error" and "Array tasks [1] failed" in error_text(followed), error_text(followed)
    assert vk.value(EXPECTED) == "3 true true true true true true 10"

    second = ValueKernel(vk.cluster, vk.home)
    try:
        second.ok("import java.io.*;\nimport java.util.*;")
        second.ok("record P(int x, BitSet bits) implements Serializable {}")
        assert second.run("marks").status == "error", "a new kernel starts without marks"
        attached = second.run(f"%hpc attach {job}")
        assert attached.status == "error", "the attach reports the failed task"
        assert "Array tasks [1] failed: marks, made have null at their index" in error_text(attached), error_text(attached)
        assert second.value(EXPECTED) == "3 true true true true true true 10"
    finally:
        second.close()

    # Task 2's file replaced on disk by a stream naming a class outside the allow-list: refused when
    # read, before it is instantiated; the notebook keeps the lists it had.
    hostile = vk.value('var bo = new ByteArrayOutputStream();\n'
                       'try (var oo = new ObjectOutputStream(bo)) { oo.writeObject(new java.text.DecimalFormat("0")); }\n'
                       'Base64.getEncoder().encodeToString(bo.toByteArray())').strip('"')
    task2 = job_dir(vk, job) / "outputs.2.json"
    replaced = json.loads(task2.read_text())
    replaced["@serialized"]["marks"] = hostile
    task2.write_text(json.dumps(replaced))
    refused = vk.run(f"%hpc attach {job}")
    assert refused.status == "error"
    text = error_text(refused)
    assert "marks" in text and "element 2" in text, text
    assert "java.text.DecimalFormat, which is not allowed to travel in binary form" in text, text
    assert vk.value(EXPECTED) == "3 true true true true true true 10", "the refused list replaced the notebook's"


def test_values_declared_object_come_back_as_the_same_class(vk):
    # JSON alone reads 5L back as an Integer, 'c' as a String: the type is recorded where the field says Object.
    vk.ok("record Bag(Object v, List<Object> xs, Map<String, Object> m) {}")
    vk.ok("Bag bag = new Bag(5L, new ArrayList<>(List.of(1L, (short) 2, 3, 'c', 2.5f, new BigInteger(\"7\"))),"
          " new LinkedHashMap<>(Map.of(\"big\", 7L)));")
    run = vk.run('%%hpc --out back\n'
                 'System.out.println("NODE " + bag.v().getClass().getSimpleName() + " "'
                 ' + bag.xs().stream().map(x -> x.getClass().getSimpleName()).toList() + " "'
                 ' + bag.m().get("big").getClass().getSimpleName());\n'
                 'Bag back = new Bag(((Long) bag.v()) + 1, bag.xs(), bag.m());')
    assert run.status == "ok", error_text(run)
    assert "NODE Long [Long, Short, Integer, Character, Float, BigInteger] Long" in run.stdout, run.stdout
    assert vk.value('back.equals(new Bag(6L, List.of(1L, (short) 2, 3, \'c\', 2.5f, new BigInteger("7")), Map.of("big", 7L)))'
                    ' + " " + back.v().getClass().getSimpleName() + " " + back.m().get("big").getClass().getSimpleName()') \
        == "true Long Long"
    # Readable JSON: the type where it is needed, plain values elsewhere.
    inputs = (job_dir(vk, run.job_id()) / "inputs.json").read_text()
    assert '"v":{"@Long":5}' in inputs and '"xs":[{"@Long":1},{"@Short":2},3,{"@Character":"c"}' in inputs, inputs


def test_a_variable_declared_object_comes_back_as_the_same_class(vk):
    vk.ok("Object one = 5L;")
    run = vk.run('%%hpc --out two\nSystem.out.println("NODE " + one.getClass().getSimpleName());\nObject two = ((Long) one) + 1;')
    assert run.status == "ok", error_text(run)
    assert "NODE Long" in run.stdout, run.stdout
    assert vk.value('two.getClass().getSimpleName() + " " + two') == "Long 6"
    assert '{"@Long":5}' in (job_dir(vk, run.job_id()) / "inputs.json").read_text()


@pytest.fixture(scope="module", params=VALUE_CLUSTERS)
def roomy(request, tmp_path_factory):
    """A kernel whose cluster profile raises the output cap to 300 MB (profile key maxOutputBytes)."""
    v = start(request.param, tmp_path_factory, "import java.util.*;", profile_extra={"maxOutputBytes": "300MB"})
    yield v
    v.close()


def test_a_raised_output_cap_brings_back_a_binary_value_above_64_mib(roomy):
    # A BitSet whose stream is about 75 MB: above the fixed 64 MiB a value in binary form had before.
    run = roomy.run("%%hpc --out wide\nBitSet wide = new BitSet();\nwide.set(600_000_000);\nwide.set(3);", timeout=600)
    assert run.status == "ok", error_text(run)
    assert roomy.value('wide.length() + " " + wide.cardinality() + " " + wide.get(3)') == "600000001 2 true"
    returned = json.loads((job_dir(roomy, run.job_id()) / "manifest.json").read_text())["returned"]
    assert returned[0]["name"] == "wide" and returned[0]["bytes"] > (64 << 20) * 4 // 3, returned


def test_a_raised_input_cap_ships_a_binary_value_above_64_mib(roomy):
    # The input cap raised with --max-input: a BitSet whose stream is about 75 MB reaches the node.
    roomy.ok("BitSet wideIn = new BitSet();\nwideIn.set(600_000_000);\nwideIn.set(5);")
    run = roomy.run('%%hpc --max-input 200MB\nSystem.out.println("NODE " + wideIn.length() + " " + wideIn.cardinality());',
                    timeout=600)
    assert run.status == "ok", error_text(run)
    assert "NODE 600000001 2" in run.stdout, run.stdout
    shipped = json.loads((job_dir(roomy, run.job_id()) / "manifest.json").read_text())["inputs"]
    assert shipped[0]["name"] == "wideIn" and shipped[0]["bytes"] > (64 << 20) * 4 // 3, shipped
