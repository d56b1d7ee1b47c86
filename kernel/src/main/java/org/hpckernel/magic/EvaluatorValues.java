package org.hpckernel.magic;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.hpc.NotebookValues;
import org.hpckernel.translate.NotebookSnapshot;

/** The notebook's session as jobs see it: its snapshot for compiling, its variables to ship and bind. */
final class EvaluatorValues implements NotebookValues {
    private final JavaEvaluator evaluator;
    private NotebookSnapshot snapshot;

    EvaluatorValues(JavaEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** Taken once per cell: the declarations and variables as they are when the cell runs. */
    NotebookSnapshot snapshot() {
        if (snapshot == null) snapshot = (NotebookSnapshot) call("snapshot", new Class<?>[0]);
        return snapshot;
    }

    List<String> classpath() {
        return evaluator.classpath();
    }

    @Override
    public Set<String> names() {
        return evaluator.variableNames();
    }

    @Override
    public Optional<String> typeOf(String name) {
        return snapshot().variables().stream().filter(v -> v.name().equals(name)).map(NotebookSnapshot.Variable::type).findFirst();
    }

    @Override
    public Object valueOf(String name) throws Failure {
        try {
            return call("valueOf", new Class<?>[] {String.class}, name);
        } catch (RuntimeException e) {
            throw new Failure(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    @Override
    public void bind(String name, String type, String json) throws Failure {
        try {
            call("bind", new Class<?>[] {String.class, String.class, String.class}, name, type, json);
        } catch (RuntimeException e) {
            throw new Failure(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    // TEMPORARY until the engine's methods are merged: called by name so that this compiles before.
    private Object call(String method, Class<?>[] types, Object... args) {
        try {
            return JavaEvaluator.class.getMethod(method, types).invoke(evaluator, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the session cannot " + method + " yet: " + e);
        }
    }
}
