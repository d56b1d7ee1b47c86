"""Notebook values through a job and back, on the live Slurm (from the kernel's machine and over SSH
as a plain user): every portable type goes in without being named (the cell just uses it) and comes
back with --out. Three fingerprints must agree: of the originals in the notebook, of the inputs as
the node sees them, and of the bound outputs. The next local cell then uses each bound variable
through its declared type (`names.get(1).toUpperCase()`, `best.x() + 1`), which compiles only if
the kernel bound it with that type."""
import re

from values_support import error_text, notebook_kernel

NOTEBOOK = [
    "import java.math.*;\nimport java.time.*;\nimport java.util.*;",
    "enum Color { RED, GREEN, BLUE }",
    "record Point(int x, int y) {}",
    "record Segment(Point from, Point to, String label) {}",
    """class Particle {
    String name;
    double mass;
    List<Point> path;
    Particle() {}
    Particle(String name, double mass, List<Point> path) { this.name = name; this.mass = mass; this.path = path; }
    @Override public String toString() { return "Particle(" + name + ", " + mass + ", " + path + ")"; }
}""",
    # One line per value, arrays shown by content at any depth (inside lists and maps too, where
    # toString would show an identity hash), control characters escaped so that a line stays a line.
    r"""String show(Object v) {
    if (v == null) return "null";
    StringJoiner parts;
    if (v.getClass().isArray()) {
        parts = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) parts.add(show(java.lang.reflect.Array.get(v, i)));
    } else if (v instanceof Collection<?> c) {
        parts = new StringJoiner(", ", "[", "]");
        for (Object e : c) parts.add(show(e));
    } else if (v instanceof Map<?, ?> m) {
        parts = new StringJoiner(", ", "{", "}");
        for (Map.Entry<?, ?> e : m.entrySet()) parts.add(show(e.getKey()) + "=" + show(e.getValue()));
    } else {
        return String.valueOf(v);
    }
    return parts.toString();
}""",
    r"""String fp(Object... values) {
    StringBuilder out = new StringBuilder();
    for (Object v : values) {
        for (char ch : show(v).toCharArray()) {
            if (ch == '\\') out.append("\\\\");
            else if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
            else out.append(ch);
        }
        out.append(" | ");
    }
    return out.toString();
}""",
    # Which overload javac picks tells the declared type of a primitive.
    """String kind(byte v) { return "byte "; }
String kind(short v) { return "short "; }
String kind(int v) { return "int "; }
String kind(long v) { return "long "; }
String kind(float v) { return "float "; }
String kind(double v) { return "double "; }
String kind(char v) { return "char "; }
String kind(boolean v) { return "boolean "; }
String kind(Object v) { return "Object "; }""",
]


vk = notebook_kernel(*NOTEBOOK)


def line(stdout, tag):
    found = [l[len(tag):] for l in stdout.splitlines() if l.startswith(tag)]
    assert found, f"no {tag} line in {stdout[-3000:]!r}"
    return found[-1]


def round_trip(vk, values, setup="", kinds=(), body_extra="", outs_extra=(), final=None):
    """values: (type, name, initializer). Declares them locally, uses them all in a %%hpc cell that
    declares NAME_back = NAME for each and returns every NAME_back with --out (names split over two
    --out options), then compares the three fingerprints. Returns the cell's Run."""
    names = [n for _, n, _ in values]
    local = "\n".join(f"{t} {n} = {init};" for t, n, init in values) + ("\n" + setup if setup else "")
    vk.ok(local)
    backs = [n + "_back" for n in names]
    half = len(backs) // 2 or 1
    outs = f"--out {','.join(backs[:half])}" + (f" --out {','.join(backs[half:] + list(outs_extra))}" if backs[half:] or outs_extra else "")
    kind_expr = " + ".join(f"kind({n})" for n in kinds) or '""'
    body = (f'System.out.println("FP:" + fp({", ".join(names)}, "end"));\n'
            f'System.out.println("KIND:" + {kind_expr});\n'
            + "".join(f"{t} {n}_back = {n};\n" for t, n, _ in values) + body_extra + (final or ""))
    run = vk.run(f"%%hpc {outs}\n{body}")
    assert run.status == "ok", f"{error_text(run)}\nstdout: {run.stdout[-3000:]}"
    original = vk.ok(f'System.out.println("FP:" + fp({", ".join(names)}, "end"));\nSystem.out.println("KIND:" + {kind_expr});')
    back_kinds = " + ".join(f"kind({n}_back)" for n in kinds) or '""'
    returned = vk.ok(f'System.out.println("FP:" + fp({", ".join(backs)}, "end"));\nSystem.out.println("KIND:" + {back_kinds});')
    assert line(run.stdout, "FP:") == line(original.stdout, "FP:"), "the node saw other values than the notebook has"
    assert line(returned.stdout, "FP:") == line(original.stdout, "FP:"), "the bound outputs differ from what was sent"
    assert line(run.stdout, "KIND:") == line(original.stdout, "KIND:") == line(returned.stdout, "KIND:")
    return run


def test_primitives_boxes_strings_and_big_numbers(vk):
    values = [("byte", "vb", "(byte) -7"), ("short", "vs", "(short) 300"), ("int", "vi", "-123456"),
              ("long", "vl", "Long.MAX_VALUE"), ("float", "vf", "1.1f"), ("double", "vd", "-0.0"),
              ("double", "vtiny", "Double.MIN_VALUE"), ("double", "vthird", "1.0 / 3"), ("char", "vc", "'é'"),
              ("boolean", "vt", "true"), ("Integer", "boxedInt", "42"), ("Long", "boxedLong", "Long.MIN_VALUE"),
              ("Double", "boxedDouble", "0.1 + 0.2"), ("Character", "boxedChar", "'\\u2603'"),
              ("Boolean", "boxedBool", "false"), ("Integer", "noInt", "null"),
              ("String", "text", r'"héllo wörld 😀 \"q\" \\ back\nslash\ttab ∑ 漢字"'), ("String", "empty", '""'),
              ("String", "noText", "null"),
              ("BigInteger", "huge", 'new BigInteger("-123456789012345678901234567890123")'),
              ("BigDecimal", "money", 'new BigDecimal("-1234567890.123456789000")')]
    run = round_trip(vk, values, kinds=("vb", "vs", "vi", "vl", "vf", "vd", "vc", "vt"),
                     final="text.codePointCount(0, text.length()) + huge.bitLength()")
    # The cell's final expression is still its result.
    assert run.result["text/plain"] == vk.value("text.codePointCount(0, text.length()) + huge.bitLength()")
    assert line(run.stdout, "KIND:") == "byte short int long float double char boolean "
    typed = vk.value("boxedInt_back.compareTo(41) + \" \" + text_back.codePointAt(12) + \" \" + huge_back.negate().bitLength()"
                     " + \" \" + money_back.scale() + \" \" + (vl_back == Long.MAX_VALUE) + \" \" + (1 / vd_back)"
                     " + \" \" + Character.isLetter(vc_back) + \" \" + (noInt_back == null) + \" \" + empty_back.isEmpty()")
    assert typed == '1 128512 107 12 true -Infinity true true true'


def test_non_finite_doubles_round_trip(vk):
    # Primitives round-trip exactly, and NaN and the infinities are doubles too.
    values = [("double", "vnan", "Double.NaN"), ("float", "vninf", "Float.NEGATIVE_INFINITY"),
              ("double[]", "edges", "{Double.POSITIVE_INFINITY, Double.NaN, -0.0}"),
              ("List<Double>", "nonFinite", "Arrays.asList(Double.NEGATIVE_INFINITY, null, Double.NaN)")]
    round_trip(vk, values, kinds=("vnan", "vninf"))
    assert vk.value('Double.isNaN(vnan_back) + " " + (vninf_back < 0) + " " + Double.isInfinite(edges_back[0])'
                    ' + " " + nonFinite_back.get(2).isNaN()') == "true true true true"


def test_enums_and_java_time(vk):
    values = [("Color", "color", "Color.GREEN"), ("Color", "noColor", "null"),
              ("LocalDate", "day", "LocalDate.of(2024, 2, 29)"), ("LocalTime", "clock", "LocalTime.of(23, 59, 58, 123456789)"),
              ("LocalDateTime", "stamp", "LocalDateTime.of(2024, 2, 29, 23, 59, 58, 1)"),
              ("Instant", "instant", "Instant.ofEpochSecond(1700000000L, 987654321)"),
              ("Duration", "took", "Duration.ofMillis(90061001).plusNanos(7)"),
              # The later of the two offsets of an hour that happens twice: only an exact encoding keeps it.
              ("ZonedDateTime", "paris", 'ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")).withLaterOffsetAtOverlap()'),
              ("OffsetDateTime", "offset", "OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 5, ZoneOffset.ofHoursMinutes(-5, -30))"),
              ("Period", "period", "Period.of(1, 2, 3)")]
    round_trip(vk, values)
    assert vk.value('color_back.ordinal() + " " + day_back.plusDays(1) + " " + took_back.toNanos() + " " + paris_back.getOffset()'
                    ' + " " + instant_back.getNano() + " " + period_back.getMonths() + " " + clock_back.getNano()'
                    ' + " " + (switch (color_back) { case RED -> "r"; case GREEN -> "g"; case BLUE -> "b"; })') \
        == '1 2024-03-01 90061001000007 +01:00 987654321 2 123456789 g'


def test_arrays_and_collections_keep_order_and_nulls(vk):
    values = [("int[]", "ints", "{3, -1, 2}"), ("double[]", "doubles", "{1.5, -0.0, 1e300}"),
              ("String[]", "words", '{"a", null, "ü"}'), ("int[][]", "grid", "{{1, 2}, {3}, {}}"),
              ("byte[]", "bytes", "{0, -128, 127}"), ("long[]", "noLongs", "{}"), ("boolean[]", "flags", "{true, false}"),
              ("List<String>", "names", 'new ArrayList<>(List.of("ada", "grace", "linus"))'),
              ("List<Integer>", "withNull", "Arrays.asList(1, null, 3)"),
              ("Set<String>", "tags", 'new LinkedHashSet<>(List.of("zeta", "alpha", "mid"))'),
              ("Map<String, Integer>", "counts", "new LinkedHashMap<>()"),
              ("Map<Integer, String>", "byId", 'new TreeMap<>(Map.of(10, "ten", 2, "two", -3, "minus three"))'),
              ("List<List<Double>>", "rows", "List.of(List.of(1.0, 2.5), List.of())"),
              ("Map<String, List<Integer>>", "nested", "new LinkedHashMap<>()")]
    setup = ('counts.put("z", 1); counts.put("a", 2); counts.put("m", 3);\n'
             'nested.put("odd", List.of(1, 3)); nested.put("even", new ArrayList<>()); nested.put("none", null);')
    round_trip(vk, values, setup=setup)
    assert vk.value('names_back.get(1).toUpperCase() + " " + (ints_back[0] + 1) + " " + grid_back[0][1] + " " + grid_back[2].length'
                    ' + " " + tags_back.iterator().next().length() + " " + (counts_back.get("a") + 1) + " " + byId_back.get(10).length()'
                    ' + " " + String.join(",", counts_back.keySet()) + " " + byId_back.keySet() + " " + rows_back.get(0).get(1) * 2'
                    ' + " " + nested_back.get("odd").get(1) + " " + words_back[2].toUpperCase() + " " + bytes_back[1]') \
        == 'GRACE 4 2 0 4 3 3 z,a,m [-3, 2, 10] 5.0 3 Ü -128'


def test_notebook_records_classes_and_enums_nested_with_nulls(vk):
    values = [("Point", "origin", "new Point(0, -1)"), ("Point", "nowhere", "null"),
              ("Segment", "seg", 'new Segment(new Point(1, 2), null, "ü")'),
              ("List<Segment>", "segs", 'List.of(new Segment(new Point(0, 0), new Point(-1, -1), null), new Segment(new Point(3, 4), new Point(5, 6), "b"))'),
              ("Particle", "particle", 'new Particle("e-", 9.1093837015e-31, List.of(new Point(1, 1), new Point(2, 3)))'),
              ("Map<Color, List<Point>>", "byColor", "new LinkedHashMap<>()"),
              ("Point[]", "pts", "{new Point(1, 1), null}"),
              ("Map<String, List<Point[]>>", "deep", "new LinkedHashMap<>()"),
              ("List<List<Map<String, Segment>>>", "deeper", 'List.of(List.of(Map.of("s", new Segment(new Point(7, 8), new Point(9, 10), "z"))))')]
    setup = ('byColor.put(Color.BLUE, List.of(new Point(1, 1))); byColor.put(Color.RED, List.of());\n'
             'deep.put("k", List.of(new Point[] {new Point(1, 2), null}, new Point[0]));')
    run = round_trip(vk, values, setup=setup, body_extra="Point best = new Point(segs.get(1).to().x() * 2, origin.y());\n",
                     outs_extra=("best",), final="best")
    assert run.result["text/plain"] == "Point[x=10, y=-1]"
    assert vk.value("best.x() + 1") == "11"
    assert vk.value('segs_back.get(1).to().x() + particle_back.path.get(1).y() * 10 + byColor_back.get(Color.BLUE).get(0).x()'
                    ' + deep_back.get("k").get(0)[0].y() + deeper_back.get(0).get(0).get("s").from().y() + particle_back.name.length()') \
        == str(5 + 30 + 1 + 2 + 8 + 2)
    assert vk.value("String.join(\",\", byColor_back.keySet().stream().map(Color::name).toList()) + (seg_back.to() == null) + (pts_back[1] == null)") \
        == 'BLUE,REDtruetrue'


def test_several_out_names_and_a_record_of_the_notebook(vk):
    run = vk.run('%%hpc --out total,label --out best2\nint total = 0;\nfor (int k = 1; k <= 10; k++) total += k;\n'
                 'String label = "sum " + total;\nPoint best2 = new Point(total, -total);\ntotal * 2')
    assert run.status == "ok", error_text(run)
    assert run.result["text/plain"] == "110"
    assert vk.value("Integer.toBinaryString(total) + label.toUpperCase() + (best2.x() + best2.y() + 1)") == '110111SUM 551'


def test_a_failed_job_binds_nothing(vk):
    run = vk.run('%%hpc --out never_bound\nint never_bound = 5;\nif (never_bound > 0) throw new IllegalStateException("boom on purpose");')
    assert run.status == "error"
    assert "boom on purpose" in error_text(run)
    missing = vk.run("never_bound + 1")
    assert missing.status == "error", "a failed job bound its output"
    assert re.search(r"never_bound", error_text(missing))


def test_a_record_redefined_between_submit_and_attach_still_binds(vk):
    vk.ok("record Sample(String a, int b) {}")
    run = vk.run('%%hpc --detach --out sample\nSample sample = new Sample("héllo", 41);')
    assert run.status == "ok", error_text(run)
    job = run.job_id()
    assert job
    # Redefined: JShell makes a new class, with a method the old one lacked.
    vk.ok("record Sample(String a, int b) { int next() { return b + 1; } }")
    attached = vk.run(f"%hpc attach {job}")
    assert attached.status == "ok", error_text(attached)
    assert vk.value("sample.next() + sample.a().toUpperCase()") == '42HÉLLO'
