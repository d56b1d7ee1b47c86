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
