"""A Python script on the cluster hands values to the Java notebook (--in NAME: $HPC_INPUTS/NAME.json;
--out NAME[:TYPE]: $HPC_OUTPUTS/NAME.json), on the live Slurm and over SSH; and the job's manifest
lists every value shipped and returned with its name, type, size and SHA-256, which must be those
of the files in the job directory."""
import hashlib
import json
from pathlib import Path

import pytest

from values_support import VALUE_CLUSTERS, error_text, job_dir, start, notebook_kernel

NOTEBOOK = ["record Point(int x, int y) {}",
            "List<Double> xs = List.of(1.5, 2.5, 4.0);",
            "Point corner = new Point(3, -4);",
            'Map<String, Integer> weights = new LinkedHashMap<>();\nweights.put("b", 2);\nweights.put("a", 1);',
            'String greeting = "grüße 😀";']

SCRIPT = r'''#!/usr/bin/env python3
import json, os
inp, out = os.environ["HPC_INPUTS"], os.environ["HPC_OUTPUTS"]
xs = json.load(open(os.path.join(inp, "xs.json")))
corner = json.load(open(os.path.join(inp, "corner.json")))
weights = json.load(open(os.path.join(inp, "weights.json")), object_pairs_hook=lambda pairs: pairs)
greeting = json.load(open(os.path.join(inp, "greeting.json"), encoding="utf-8"))
print("IN", xs, corner["x"], corner["y"], [k for k, _ in weights], greeting.upper())
def put(name, value):
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
put("total", sum(xs))
put("squares", [x * x for x in xs])
put("label", greeting + " " + str(len(xs)))
put("flag", corner["x"] > 0)
put("info", {"n": len(xs), "max": max(xs)})
'''


vk = notebook_kernel(*NOTEBOOK)


def test_python_cell_reads_inputs_and_returns_typed_outputs(vk):
    run = vk.run("%%hpc --in xs --in corner --in weights --in greeting --out total:double --out 'squares:List<Double>'"
                 " --out label --out flag --out 'info:Map<String, Double>'\n" + SCRIPT)
    assert run.status == "ok", error_text(run) + run.stdout + run.stderr
    assert "IN [1.5, 2.5, 4.0] 3 -4 ['b', 'a'] GRÜSSE 😀" in run.stdout
    # total is a double, squares a List<Double>, info a Map<String, Double>: these compile only so.
    assert vk.value('(total + 1) + " " + squares.get(1) * 2 + " " + (info.get("max") + 1) + " " + info.get("n").intValue()') \
        == "9.0 12.5 5.0 3"
    assert vk.value('String.valueOf(label) + " " + String.valueOf(flag)') == "grüße 😀 3 true"


def test_an_output_of_the_wrong_type_fails_naming_it(vk):
    run = vk.run("%%hpc --out count:int\n#!/usr/bin/env python3\nimport json, os\n"
                 "json.dump('not a number', open(os.environ['HPC_OUTPUTS'] + '/count.json', 'w'))")
    assert run.status == "error"
    assert "count" in run.error["evalue"] and "int" in run.error["evalue"], run.error["evalue"]
    assert vk.run("count + 1").status == "error", "a value of the wrong type was bound"


@pytest.fixture(scope="module", params=VALUE_CLUSTERS)
def long_lag(request, tmp_path_factory):
    """A kernel whose cluster declares a 10 min file-system lag, which the kernel would wait out
    looking for a missing output: the node's own check must fail the job instead."""
    v = start(request.param, tmp_path_factory, profile_extra={"monitoring": {"fileSystemLag": "10m"}})
    yield v
    v.close()


def test_an_output_the_script_did_not_write_fails_the_job_naming_it(long_lag):
    vk = long_lag
    run = vk.run("%%hpc --out forgotten:double\n#!/usr/bin/env python3\nprint('wrote nothing')", timeout=120)
    assert run.status == "error"
    text = error_text(run)
    assert "forgotten" in run.error["evalue"], run.error["evalue"]
    assert "without writing $HPC_OUTPUTS/forgotten.json" in text, text
    assert "Nothing was bound" in text, text
    assert "wrote nothing" in run.stdout
    assert vk.run("forgotten + 1").status == "error", "a value was bound from a job that failed"


def value_entries(node):
    """Every object in the manifest that describes a value: name, type, bytes, sha256."""
    if isinstance(node, dict):
        if {"name", "type", "bytes", "sha256"} <= node.keys():
            yield node
        for v in node.values():
            yield from value_entries(v)
    elif isinstance(node, list):
        for v in node:
            yield from value_entries(v)


def member_spans(text):
    """The raw text of each top-level member value of a JSON object, byte for byte as written."""
    decoder = json.JSONDecoder()
    spans, i = [], text.index("{") + 1
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "}":
            return spans
        _, i = decoder.raw_decode(text, i)  # the key
        while text[i] in " \t\r\n:":
            i += 1
        _, end = decoder.raw_decode(text, i)
        spans.append(text[i:end])
        i = end


def digests_in(root: Path):
    """SHA-256 -> sizes of every file under ROOT and of every member value of its JSON object files
    (a Java cell's values travel spliced into one inputs.json / outputs.json)."""
    found = {}
    for f in root.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        found.setdefault(hashlib.sha256(data).hexdigest(), set()).add(len(data))
        if f.suffix == ".json" and data.lstrip().startswith(b"{"):
            try:
                for span in member_spans(data.decode("utf-8")):
                    raw = span.encode("utf-8")
                    found.setdefault(hashlib.sha256(raw).hexdigest(), set()).add(len(raw))
            except (ValueError, IndexError):
                pass
    return found


@pytest.mark.parametrize("kind", ["java", "shebang"])
def test_manifest_lists_values_in_and_out_with_size_and_sha256(vk, kind):
    if kind == "java":
        cell = "%%hpc --out scaled,where\nList<Double> scaled = xs.stream().map(v -> v * 2).toList();\nPoint where = new Point(corner.y(), corner.x());"
        ins, outs = {"xs": "List<Double>", "corner": "Point"}, {"scaled": "List<Double>", "where": "Point"}
    else:
        cell = ("%%hpc --in xs --out 'twice:List<Double>'\n#!/usr/bin/env python3\nimport json, os\n"
                "xs = json.load(open(os.environ['HPC_INPUTS'] + '/xs.json'))\n"
                "json.dump([2 * x for x in xs], open(os.environ['HPC_OUTPUTS'] + '/twice.json', 'w'))")
        ins, outs = {"xs": "List<Double>"}, {"twice": "List<Double>"}
    run = vk.run(cell)
    assert run.status == "ok", error_text(run)
    directory = job_dir(vk, run.job_id())
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["name"]: e for e in value_entries(manifest)}
    assert set(ins) | set(outs) <= set(entries), f"values in the manifest: {sorted(entries)}; want {sorted(set(ins) | set(outs))}"
    on_disk = digests_in(directory)
    for name, declared in {**ins, **outs}.items():
        e = entries[name]
        assert e["type"].replace(" ", "") == declared.replace(" ", ""), e
        assert len(e["sha256"]) == 64 and e["bytes"] > 0, e
        assert e["sha256"] in on_disk, f"nothing in {directory} has the SHA-256 the manifest gives for {name}"
        assert e["bytes"] in on_disk[e["sha256"]], f"{name}: size differs from the manifest"
