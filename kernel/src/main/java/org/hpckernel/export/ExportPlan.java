package org.hpckernel.export;

import java.util.List;
import java.util.Map;

/**
 * The notebook as the project will hold it: one step per code cell, in notebook order, and the
 * class path the cells need.
 *
 * @param producers for every step, the variables it reads and the step (results directory) that produces each
 * @param parameters the papermill parameters cell's variables with their types, or empty
 */
public record ExportPlan(String notebook, List<ExportStep> steps, Map<ExportStep, Map<String, String>> producers,
        List<String> jars, List<String> mavenCoordinates, List<String> mavenRepositories, Map<String, String> parameters,
        ExportStep parametersStep) {
    public ExportPlan {
        steps = List.copyOf(steps);
        jars = List.copyOf(jars);
        mavenCoordinates = List.copyOf(mavenCoordinates);
        mavenRepositories = List.copyOf(mavenRepositories);
    }

    public List<ExportStep.LeftOut> leftOut() {
        return steps.stream().filter(s -> s instanceof ExportStep.LeftOut).map(s -> (ExportStep.LeftOut) s).toList();
    }
}
