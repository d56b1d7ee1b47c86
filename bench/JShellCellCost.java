import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;

/**
 * Where a kernel cell's time goes: JShell alone (no kernel, no protocol), `1 + 1` evaluated in a
 * fresh session, after 1,000 `1 + 1` cells (no live declaration: what old snippets cost) and then
 * after the kernel benchmark's 1,000 mixed cells (declarations, methods, expressions, output), two
 * ways, interleaved cell by cell:
 * <ul>
 *   <li>as the kernel evaluates it: an expression snippet, its value read, its temporary dropped;
 *   <li>as a statement handing the value to a method (one compilation instead of JShell's type
 *       analysis plus compilation), the candidate engine change.
 * </ul>
 *
 *   java bench/JShellCellCost.java [SAMPLES]        (run it with the JVM options of kernel.json)
 *
 * Prints p50 in ms per phase. Run with -XX:StartFlightRecording to see the compiler's share.
 */
public final class JShellCellCost {
    static String mixed(int i) {
        int k = i % 5;
        int base = i - k;
        return switch (k) {
            case 0 -> "int v" + i + " = " + i + ";";
            case 1 -> "int m" + i + "(int x) { return x + " + i + "; }";
            case 2 -> "v" + base + " + m" + (base + 1) + "(1)";
            case 3 -> "String s" + i + " = \"s\" + " + i + ";";
            default -> "System.out.println(\"cell \" + " + i + ");";
        };
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        PrintStream report = System.err; // cells print to System.out
        try (JShell js = JShell.builder().executionEngine("local").out(new PrintStream(OutputStream.nullOutputStream())).build()) {
            for (String phase : new String[] {"fresh", "after 1,000 `1 + 1` cells", "then after 1,000 mixed cells"}) {
                if (phase.startsWith("after")) {
                    for (int i = 0; i < 1000; i++) {
                        for (var e : js.eval("1 + 1")) js.drop(e.snippet());
                    }
                } else if (phase.startsWith("then")) {
                    for (int i = 0; i < 1000; i++) {
                        for (var e : js.eval(mixed(i))) {
                            if (e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) js.drop(e.snippet());
                        }
                    }
                }
                long[] expression = new long[samples];
                long[] statement = new long[samples];
                for (int r = 0; r < samples; r++) {
                    long t0 = System.nanoTime();
                    VarSnippet v = (VarSnippet) js.eval("1 + 1").get(0).snippet();
                    js.varValue(v);
                    js.drop(v);
                    long t1 = System.nanoTime();
                    var events = js.eval("java.util.Objects.hashCode(1 + 1\n);");
                    long t2 = System.nanoTime();
                    if (events.get(0).status() != Snippet.Status.VALID) throw new IllegalStateException(events.toString());
                    expression[r] = t1 - t0;
                    statement[r] = t2 - t1;
                }
                report.printf("%s: expression (as the kernel) %.2f ms, statement %.2f ms (p50 of %d, Java %s)%n",
                        phase, p50(expression), p50(statement), samples, Runtime.version());
            }
        }
    }

    static double p50(long[] x) {
        long[] c = x.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}
