package org.hpckernel.eval;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One started session per test class; each test records what its cells print. */
abstract class SharedSession {
    static JavaEvaluator evaluator;
    static OutputCapture capture;
    RecordingOutput output;

    @BeforeAll
    static void startSession() {
        capture = OutputCapture.install();
        evaluator = EvaluatorFixture.started();
    }

    @AfterAll
    static void closeSession() {
        evaluator.close();
    }

    @BeforeEach
    void attach() {
        output = new RecordingOutput();
        capture.setTarget(output);
    }

    @AfterEach
    void detach() {
        capture.setTarget(null);
    }
}
