package org.hpckernel.export;

import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.scheduler.ChainedSubmit;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.transport.ShellQuote;

/**
 * scripts/submit.sh: runs the setup steps on the login node, then submits the %%hpc cells in
 * notebook order, each held until the one before it completed (the scheduler's own dependency
 * option), and prints the job ids. Every cell's files go to results/CELL/. Nothing the user passes
 * is pasted into a command: -p names are checked against the notebook's parameters and values
 * travel in the environment.
 */
final class SubmitScript {
    /** A step of the pipeline as submit.sh runs it. */
    sealed interface Item {}

    record SetupItem(ExportStep.Setup step, String mainClass) implements Item {}

    record JobItem(JobScripts.Job job, String forSource) implements Item {}

    private SubmitScript() {}

    static String render(String notebook, String cluster, Scheduler scheduler, String jar, String runnerClass,
            List<Item> items, Map<String, String> parameters) {
        ChainedSubmit chained = scheduler.chainedSubmit().orElse(null);
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Runs the pipeline exported from the notebook ").append(notebook).append(" on cluster ").append(cluster)
                .append(" (").append(scheduler.name()).append(").\n");
        s.append("# usage: scripts/submit.sh [--dry-run] [-p NAME VALUE]...   (build first: mvn -q package)\n");
        s.append("set -euo pipefail\n");
        s.append("cd \"$(dirname \"$0\")/..\"\n");
        s.append("project=$(pwd -P)\n");
        s.append("jar=").append(ShellQuote.quote(jar)).append("\n");
        s.append("parameters=(").append(String.join(" ", parameters.keySet())).append(")\n");
        s.append("""
                dry_run=0
                usage() { sed -n '2,3p' "$0" | sed 's/^# //'; echo "parameters: ${parameters[*]:-(none)}"; }
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --dry-run) dry_run=1; shift ;;
                    -p)
                      [ $# -ge 3 ] || { echo "submit.sh: -p needs NAME and VALUE" >&2; exit 2; }
                      known=0; for p in "${parameters[@]}"; do [ "$p" = "$2" ] && known=1; done
                      [ $known = 1 ] || { echo "submit.sh: no parameter \\"$2\\"; the notebook's parameters: ${parameters[*]:-(none)}" >&2; exit 2; }
                      export "HPC_PARAM_$2=$3"; shift 3 ;;
                    -h|--help) usage; exit 0 ;;
                    *) echo "submit.sh: unexpected \\"$1\\"" >&2; usage >&2; exit 2 ;;
                  esac
                done
                # The project path goes into batch scripts: only plain characters, so nothing needs quoting there.
                case "$project" in *[!A-Za-z0-9_@%+=:,./-]*)
                  echo "submit.sh: the project path $project has characters batch scripts cannot take unquoted; move the project to a plain path" >&2; exit 2 ;;
                esac
                if [ $dry_run = 0 ] && [ ! -f "$jar" ]; then echo "submit.sh: $jar is missing: build it first with mvn -q package" >&2; exit 2; fi
                if [ $dry_run = 0 ] && [ -d results ] && [ -n "$(ls -A results)" ]; then
                  old="results.$(date +%Y%m%d-%H%M%S)"; mv results "$old"; echo "earlier results moved to $old"
                fi
                say() { printf '+'; printf ' %q' "$@"; printf '\\n'; }
                stage() { # CELL: the cell's directory with its batch script (project path filled in) and payload
                  [ $dry_run = 1 ] && return
                  mkdir -p "results/$1"; chmod 700 "results/$1"
                  sed "s|__PROJECT__|$project|g" "scripts/$1.sh" > "results/$1/job.sh"
                  cp "scripts/$1.payload" "results/$1/payload"; chmod 700 "results/$1/job.sh" "results/$1/payload"
                }
                setup() { # CELL CLASS: a plain cell's computation, here on the login node, before any job
                  if [ $dry_run = 1 ]; then say java -cp "$jar" "$2"; return; fi
                  mkdir -p "results/$1"
                  if ! HPC_JOB_DIR="$project/results/$1" java -cp "$jar" "$2" > "results/$1/stdout" 2> "results/$1/stderr"; then
                    echo "submit.sh: setup cell $1 failed; its stderr (results/$1/stderr):" >&2; cat "results/$1/stderr" >&2; exit 1
                  fi
                  echo "$1: computed (setup)"
                }
                previous=
                """.replace("__PROJECT__", JobScripts.PROJECT));
        s.append(submitFunction(scheduler, chained));
        for (Item item : items) {
            if (item instanceof SetupItem setup) {
                s.append("setup ").append(setup.step().dirName()).append(' ').append(setup.mainClass()).append('\n');
            } else if (item instanceof JobItem jobItem) {
                JobScripts.Job job = jobItem.job();
                String dir = job.step().dirName();
                if (job.forSentinel() != null) {
                    // --for: one task per element of the list, known only now that the setup steps ran.
                    s.append("if [ $dry_run = 1 ]; then n=0; else n=$(java -cp \"$jar\" ").append(runnerClass)
                            .append(" length results/").append(jobItem.forSource()).append(' ').append(((ExportStep.JavaJob) job.step()).forList())
                            .append("); fi\n");
                    s.append("stage ").append(dir).append('\n');
                    int base = job.arrayBase();
                    String last = base == 0 ? "$((n - 1))" : "$n";
                    s.append("[ $dry_run = 1 ] || sed -i -E '/^#[^!]/ s/\\b").append(job.forSentinel()).append("\\b/")
                            .append(base).append("-'\"").append(last).append("\"'/");
                    String count = chained == null ? null : chained.arrayCount();
                    if (count != null) s.append("; s/").append(count).append("/\\1'\"$n\"'/");
                    s.append("' results/").append(dir).append("/job.sh\n");
                } else {
                    s.append("stage ").append(dir).append('\n');
                }
                s.append("submit ").append(dir);
                if (chained == null) {
                    // The local backend runs each task itself: it is given the task indexes.
                    if (job.forSentinel() != null) s.append(" $(seq 0 $((n - 1)))");
                    for (int task : job.tasks()) s.append(' ').append(task);
                } else if (!job.scriptArgs().isEmpty()) {
                    if (!job.scriptArgs().matches("[0-9 ]+")) throw new IllegalStateException("script arguments " + job.scriptArgs());
                    s.append(" '").append(job.scriptArgs()).append('\'');
                }
                s.append('\n');
            }
        }
        s.append("[ $dry_run = 1 ] && echo \"(dry run: nothing submitted; results/ would hold each cell's files)\"\n");
        s.append("exit 0\n");
        return s.toString();
    }

    /**
     * submit CELL [SCRIPT_ARGS]: the scheduler's submit command, held on the previous job; prints
     * and keeps the id, read from what the scheduler prints as its dialect says
     * ({@link ChainedSubmit}).
     */
    private static String submitFunction(Scheduler scheduler, ChainedSubmit chained) {
        List<String> argv = scheduler.submitCommand(JobSpec.builder().jobName("x").cluster("x").jobDir("x").build(), JobScripts.SCRIPT);
        String command = ShellQuote.join(argv.subList(1, argv.size()))
                .replace(JobScripts.SCRIPT, "\"$project/results/$1/job.sh${2:+ $2}\"");
        String program = argv.get(0);
        StringBuilder f = new StringBuilder();
        f.append("submit() {\n");
        if (chained == null) {
            // The local backend has no dependencies: the cells run here, one after the other (each task of an array in turn).
            f.append("  local cell=$1; shift\n");
            f.append("  if [ $dry_run = 1 ]; then say bash \"results/$cell/job.sh\"; return; fi\n");
            f.append("  if [ $# = 0 ]; then set -- ''; fi\n");
            f.append("  for task in \"$@\"; do\n");
            f.append("    if ! HPC_ARRAY_INDEX=$task bash \"results/$cell/job.sh\"; then echo \"$cell: failed (see results/$cell/stderr*)\" >&2; exit 1; fi\n");
            f.append("  done\n");
            f.append("  echo \"$cell: done\"\n");
            f.append("}\n");
            return f.toString();
        }
        f.append("  local hold=(); [ -n \"$previous\" ] && hold=(").append(chained.hold()).append(")\n");
        if (chained.stdinSubmit() != null) {
            // The script goes on the program's standard input (the kernel's argv wraps that in sh -c,
            // where the hold could not go): the hold goes to the program itself.
            program = chained.stdinSubmit();
            f.append("  if [ $dry_run = 1 ]; then echo \"$(say ").append(program).append(" \"${hold[@]}\") < $project/results/$1/job.sh\";"
                    + " previous=${previous:-ID}; return; fi\n");
            f.append("  local out id after; out=$(").append(program).append(" \"${hold[@]}\" < \"$project/results/$1/job.sh\")\n");
        } else {
            f.append("  if [ $dry_run = 1 ]; then say ").append(program).append(" \"${hold[@]}\" ").append(command)
                    .append("; previous=${previous:-ID}; return; fi\n");
            f.append("  local out id after; out=$(").append(program).append(" \"${hold[@]}\" ").append(command).append(")\n");
        }
        f.append("  ").append(chained.readIds()).append("\n");
        f.append("  [ -n \"$id\" ] || { echo \"submit.sh: $1: no job id in what ").append(program)
                .append(" printed: $out\" >&2; exit 1; }\n");
        f.append("  echo \"$1: job $id\"; echo \"$id\" > \"results/$1/job-id\"; previous=$after\n");
        f.append("}\n");
        return f.toString();
    }
}
