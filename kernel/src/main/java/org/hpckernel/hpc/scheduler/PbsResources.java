package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.regex.Matcher;
import org.hpckernel.hpc.scheduler.PbsScheduler.Flavor;

/**
 * PBS's resource request from {@code --nodes/--ntasks/--cpus-per-task/--mem/--gpus}: every node
 * gets the same share of tasks, CPUs and GPUs. PBS Pro writes it as chunks,
 * {@code -l select=N:ncpus=C:mpiprocs=T[:ompthreads=c][:mem=Mmb][:ngpus=G]} plus
 * {@code -l place=scatter} for several nodes; Torque as {@code -l nodes=N:ppn=C[:gpus=G]} and
 * {@code -l mem=} (Torque's mem is for the whole job, Slurm's --mem per node).
 */
final class PbsResources {
    private PbsResources() {}

    /** Nodes, tasks per node, CPUs per task, memory per node and GPUs per node, checked. */
    private record Shape(long nodes, long tasksPerNode, long cpusPerTask, Long memMb, Long gpusPerNode) {
        long cpusPerNode() {
            return tasksPerNode * cpusPerTask;
        }
    }

    /** The {@code -l ...} values (without the {@code #PBS} prefix) for the spec; none when it asks for nothing. */
    static List<String> of(JobSpec spec, Flavor flavor, Dialect dialect) throws UnsupportedOptionException {
        Shape s = shape(spec, dialect, flavor == Flavor.PRO ? "select=N:ncpus=..." : "nodes=N:ppn=...");
        boolean layout = spec.nodes() != null || spec.ntasks() != null || spec.cpusPerTask() != null
                || s.gpusPerNode() != null;
        DirectiveLines out = new DirectiveLines("#PBS");
        if (flavor == Flavor.PRO) {
            if (!layout && s.memMb() == null) {
                return List.of();
            }
            // one chunk per node: ncpus for all its tasks, mpiprocs = MPI ranks, ompthreads = CPUs per rank
            out.add("-l select=" + s.nodes() + ":ncpus=" + s.cpusPerNode() + ":mpiprocs=" + s.tasksPerNode()
                    + (s.cpusPerTask() > 1 ? ":ompthreads=" + s.cpusPerTask() : "")
                    + (s.memMb() == null ? "" : ":mem=" + s.memMb() + "mb") // per chunk = per node, like --mem
                    + (s.gpusPerNode() == null ? "" : ":ngpus=" + s.gpusPerNode()));
            // one chunk per host: --nodes means distinct nodes
            return out.add("-l place=scatter", s.nodes() > 1 ? "" : null).lines();
        }
        if (layout) {
            out.add("-l nodes=" + s.nodes() + ":ppn=" + s.cpusPerNode()
                    + (s.gpusPerNode() == null ? "" : ":gpus=" + s.gpusPerNode()));
        }
        // Torque's mem: the whole job
        return out.add("-l mem=", s.memMb() == null ? null : s.memMb() * s.nodes() + "mb").lines();
    }

    private static Shape shape(JobSpec spec, Dialect dialect, String form) throws UnsupportedOptionException {
        long nodes = spec.nodes() == null ? 1 : CoreLayout.nodeCount(spec.nodes(), dialect);
        long tasks = spec.ntasks() == null ? nodes : spec.ntasks();
        long cpus = spec.cpusPerTask() == null ? 1 : spec.cpusPerTask();
        if (tasks % nodes != 0) {
            throw new UnsupportedOptionException(dialect.name(), "--ntasks " + tasks + " with --nodes " + nodes,
                    dialect.label() + " gives every node the same share (" + form + "); make --ntasks a multiple of --nodes");
        }
        Long gpus = null;
        if (spec.gpus() != null) {
            Matcher g = SchedulerText.gpus(spec.gpus());
            if (g.group(1) != null) {
                throw new UnsupportedOptionException(dialect.name(), "--gpus " + spec.gpus(),
                        dialect.label() + " has no standard way to name a GPU type (each site defines its own "
                                + "resource for it); ask for a GPU count only, or a queue with that GPU type");
            }
            long total = Long.parseLong(g.group(2));
            if (total % nodes != 0) {
                throw new UnsupportedOptionException(dialect.name(), "--gpus " + spec.gpus() + " with --nodes " + nodes,
                        dialect.label() + " asks for GPUs per node; make --gpus a multiple of --nodes");
            }
            gpus = total / nodes;
        }
        return new Shape(nodes, tasks / nodes, cpus, spec.memMegabytes(), gpus);
    }
}
