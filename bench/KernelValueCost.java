import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * What a value cell costs in JShell alone (no kernel, no protocol), evaluated two ways,
 * interleaved cell by cell, fresh and after MIXED cells of the kernel benchmark's workload:
 * <ul>
 *   <li>as a JShell expression ({@code 1 + 1}: type inference, temporary {@code $n}), value read,
 *       temporary dropped: the kernel before issue 14's speed work;
 *   <li>as a numbered declaration {@code Object $hpc$valueN = 1 + 1;}, value read, variable
 *       dropped: what the kernel does now (engine {@code ValueDeclaration}).
 * </ul>
 *
 *   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC bench/KernelValueCost.java [SAMPLES] [MIXED]
 *
 * Prints the p50 of each, in ms.
 */
public final class KernelValueCost {
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

    static int number;

    /** Evaluates, reads the value, drops the variable; returns nanoseconds. */
    static long value(JShell js, String source) {
        long t0 = System.nanoTime();
        SnippetEvent event = js.eval(source).get(0);
        if (event.status() != Snippet.Status.VALID) {
            throw new IllegalStateException(event.toString());
        }
        js.varValue((VarSnippet) event.snippet());
        js.drop(event.snippet());
        return System.nanoTime() - t0;
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int mixedCells = args.length > 1 ? Integer.parseInt(args[1]) : 1200;
        PrintStream report = System.err; // cells print to System.out
        try (JShell js = JShell.builder().executionEngine("local").out(new PrintStream(OutputStream.nullOutputStream())).build()) {
            for (String phase : new String[] {"fresh", "after " + mixedCells + " mixed cells"}) {
                if (!phase.equals("fresh")) {
                    for (int i = 0; i < mixedCells; i++) {
                        String source = mixed(i);
                        if (i % 5 == 2) {
                            value(js, "Object $hpc$value" + (++number) + " = " + source + "\n;");
                        } else {
                            js.eval(source);
                        }
                    }
                }
                long[][] t = new long[2][samples];
                for (int r = 0; r < samples; r++) {
                    t[0][r] = value(js, "1 + 1");
                    t[1][r] = value(js, "Object $hpc$value" + (++number) + " = 1 + 1\n;");
                }
                report.printf("%s: expression %.2f ms, numbered declaration %.2f ms (p50 of %d, Java %s)%n",
                        phase, p50(t[0]), p50(t[1]), samples, Runtime.version());
            }
        }
    }

    static double p50(long[] x) {
        long[] c = x.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}
