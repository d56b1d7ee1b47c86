package org.hpckernel.eval;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Builds evaluators whose cells can call {@link CellHooks}. */
final class EvaluatorFixture {
    private EvaluatorFixture() {}

    static JavaEvaluator started() {
        JavaEvaluator evaluator = new JavaEvaluator(List.of(testClasses()));
        evaluator.start();
        try {
            if (!evaluator.awaitWarmUp(60_000)) {
                throw new IllegalStateException("the direct path's compiler never warmed up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return evaluator;
    }

    static String testClasses() {
        try {
            return Path.of(CellHooks.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
