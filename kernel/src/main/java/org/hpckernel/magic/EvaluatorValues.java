package org.hpckernel.magic;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.hpc.NotebookValues;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.ValueCodec;
import org.hpckernel.values.ValueHandoff;

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

    /**
     * A String, primitive or box is decoded here (the session would resolve the same java.lang
     * class), the other types in one statement in the session; no statement at all when every
     * value is of the first kind, or there is none.
     */
    @Override
    public java.util.Map<Integer, String> undecodable(List<String> types, List<String> jsons) {
        java.util.Set<String> notebookTypes = new java.util.HashSet<>();
        for (NotebookSnapshot.Declaration d : snapshot().declarations()) {
            if (d.kind() == NotebookSnapshot.Kind.TYPE) notebookTypes.add(d.name());
        }
        java.util.Map<Integer, String> problems = new java.util.TreeMap<>();
        List<Integer> inSession = new java.util.ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Class<?> jdkType = types.get(i) == null || SerialValues.isSerialized(jsons.get(i)) ? null
                    : ValueHandoff.jdkType(types.get(i).strip(), notebookTypes::contains);
            if (jdkType == null) {
                inSession.add(i);
                continue;
            }
            try {
                ValueCodec.standard().decode(jsons.get(i), jdkType);
            } catch (MalformedValueException e) {
                problems.put(i, e.getMessage());
            }
        }
        if (!inSession.isEmpty()) {
            evaluator.undecodable(inSession.stream().map(types::get).toList(), inSession.stream().map(jsons::get).toList())
                    .forEach((k, why) -> problems.put(inSession.get(k), why));
        }
        return problems;
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
