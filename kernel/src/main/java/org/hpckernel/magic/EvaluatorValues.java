package org.hpckernel.magic;

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
        if (snapshot == null) snapshot = evaluator.snapshot();
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
            return evaluator.valueOf(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Failure(e.getMessage(), e);
        }
    }

    @Override
    public java.util.Map<Integer, String> undecodable(List<String> types, List<String> jsons) {
        return evaluator.undecodable(types, jsons);
    }

    @Override
    public java.util.Map<Integer, String> undecodable(List<String> types, List<String> jsons, long maxBinaryBytes) {
        return evaluator.undecodable(types, jsons, maxBinaryBytes);
    }

    @Override
    public org.hpckernel.values.SerialValues.Classes classes() {
        return org.hpckernel.values.SerialValues.Classes.definedBy(evaluator.sessionClassLoader(), name -> null);
    }

    @Override
    public void bind(String name, String type, String json) throws Failure {
        bind(name, type, json, org.hpckernel.values.SerialValues.Limits.DEFAULT.maxBytes());
    }

    @Override
    public void bind(String name, String type, String json, long maxBinaryBytes) throws Failure {
        try {
            evaluator.bind(name, type, json, maxBinaryBytes);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Failure(e.getMessage(), e);
        }
    }
}
