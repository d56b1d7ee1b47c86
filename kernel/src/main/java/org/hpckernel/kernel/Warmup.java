package org.hpckernel.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hpckernel.display.MimeRenderer;
import org.hpckernel.eval.CellResult;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.protocol.Header;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.MessageSigner;
import org.hpckernel.protocol.WireCodec;

/**
 * Exercises the paths every session takes (JShell compile and run, completion, rendering, message
 * coding) and exits. Run once at install under -XX:ArchiveClassesAtExit, it makes the CDS archive
 * that lets the kernel start fast.
 */
public final class Warmup {
    private Warmup() {}

    public static int run() throws InterruptedException {
        WireCodec codec = new WireCodec(new MessageSigner("warmup", "hmac-sha256"));
        Message m = new Message(List.of("id".getBytes(StandardCharsets.UTF_8)),
                Header.create("execute_request", "warmup", "warmup"), null, new com.google.gson.JsonObject(),
                new com.google.gson.JsonObject(), Message.toJson(java.util.Map.of("code", "1 + 1")), List.of());
        try {
            codec.decode(codec.encode(m));
        } catch (Exception e) {
            System.err.println("warmup: message coding failed: " + e);
            return 1;
        }
        try (JavaEvaluator evaluator = new JavaEvaluator(List.of())) {
            evaluator.start();
            // The archive must hold the direct path's compiler too, warmed in the background.
            if (!evaluator.awaitWarmUp(120_000)) {
                System.err.println("warmup: the direct path's compiler did not warm up");
                return 1;
            }
            String[] cells = {"1 + 1", "int warmupX = 3;", "String warmupS = \"a\" + warmupX;",
                    "int warmupSquare(int v) { return v * v; }", "warmupSquare(warmupX)",
                    "record WarmupPoint(int x, int y) {}", "new WarmupPoint(1, 2)",
                    "List.of(1, 2, 3).stream().mapToInt(i -> i).sum()"};
            for (String cell : cells) {
                CellResult r = evaluator.eval(cell);
                if (r.error() != null) {
                    System.err.println("warmup: cell failed: " + cell + ": " + r.error().evalue());
                    return 1;
                }
                if (r.hasValue()) MimeRenderer.render(r.value());
            }
            evaluator.complete("Math.ma", 7);
            evaluator.isComplete("for (int i = 0; i < 3; i++) {");
            evaluator.inspect("Math.max", 8, 0);
        }
        return 0;
    }
}
