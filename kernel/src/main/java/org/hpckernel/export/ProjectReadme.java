package org.hpckernel.export;

import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;

/** README.md of the exported project: build, run, parameters, and the cells left out with why. */
final class ProjectReadme {
    private ProjectReadme() {}

    static String render(String notebook, String artifactId, ClusterProfile cluster, ExportPlan plan) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(notebook).append("\n\n");
        s.append("Exported from the notebook `").append(notebook).append(".ipynb` by hpc-kernel, for the cluster `")
                .append(cluster.name()).append("` (").append(cluster.scheduler()).append(").\n\n");
        s.append("## Build\n\n```\nmvn -q package\n```\n\ngives `target/").append(artifactId)
                .append(".jar` (Java 17). Once the dependencies are in `~/.m2`, `mvn -o -q package` builds offline.\n\n");
        s.append("## Run\n\n```\nscripts/submit.sh            # submit the pipeline, print the job ids\n"
                + "scripts/submit.sh --dry-run  # show what it would run and submit\n```\n\n");
        s.append("`submit.sh` first runs the setup steps (plain cells whose values later cells use) here, then submits "
                + "the `%%hpc` cells in notebook order, each held until the one before it completed. "
                + "Each cell writes into `results/CELL/`: `stdout`, `stderr` (`.I` per array task), `outputs.json` "
                + "(its `--out` values, as JSON), `result.txt` (the value of its final expression), `job-id`. "
                + "Earlier results are moved aside, not overwritten. "
                + "If a job fails, the jobs after it never start; cancel them with the scheduler.\n\n");
        s.append("## Steps\n\n| cell | becomes |\n|---|---|\n");
        for (ExportStep step : plan.steps()) {
            String what;
            if (step instanceof ExportStep.Setup setup) what = "setup step `" + step.className() + "`, computes " + String.join(", ", setup.outs());
            else if (step instanceof ExportStep.JavaJob) what = "job `scripts/" + step.dirName() + ".sh` running `" + step.className() + "`";
            else if (step instanceof ExportStep.ShellJob) what = "job `scripts/" + step.dirName() + ".sh` running its script as it is";
            else if (step instanceof ExportStep.Declarations) what = "declarations, in the project's sources";
            else what = "left out: " + ((ExportStep.LeftOut) step).reason();
            s.append("| ").append(step.cell().number()).append(" | ").append(what.replace("|", "\\|")).append(" |\n");
        }
        s.append('\n');
        if (!plan.parameters().isEmpty()) {
            s.append("## Parameters\n\nThe notebook's `parameters` cell (cell ").append(plan.parametersStep().cell().number())
                    .append(") sets these defaults; change one per run with `-p NAME VALUE`:\n\n");
            for (Map.Entry<String, String> p : plan.parameters().entrySet()) {
                s.append("- `").append(p.getKey()).append("` (").append(p.getValue()).append(")\n");
            }
            String first = plan.parameters().keySet().iterator().next();
            s.append("\n```\nscripts/submit.sh -p ").append(first).append(" VALUE\n```\n\n"
                    + "A text parameter takes VALUE as it is; any other takes it as JSON (`8`, `2.5`, `[1,2]`).\n\n");
        }
        if (!plan.leftOut().isEmpty()) {
            s.append("## Left out\n\n");
            for (ExportStep.LeftOut l : plan.leftOut()) {
                s.append("- cell ").append(l.cell().number()).append(": ").append(l.reason()).append('\n');
            }
            s.append('\n');
        }
        return s.toString();
    }
}
