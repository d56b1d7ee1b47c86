package org.hpckernel.hpc.scheduler;

/**
 * Where the cores of {@code --nodes/--ntasks/--cpus-per-task} go, for schedulers that count cores
 * (OAR's {@code /nodes=N/core=C}, LSF's {@code -n} and {@code span[...]}, Grid Engine's slots):
 * <ul>
 *   <li>with --nodes N: tasks (default N, one per node, as Slurm does) × cpus-per-task cores, the
 *       same number on every node, so they must split evenly over the N nodes;
 *   <li>without --nodes: one task's cores on one host; several one-core tasks anywhere
 *       ({@code hosts} 0); several multi-core tasks on one host (no scheduler here can group
 *       cores per task in a standard way).
 * </ul>
 *
 * @param hosts the number of hosts, 0 for "anywhere"
 * @param cores all cores of the job
 * @param nodesAsked whether --nodes was given (else {@code hosts} is this class's choice)
 */
record CoreLayout(long hosts, long cores, boolean nodesAsked) {
    long perHost() {
        return cores / hosts;
    }

    /** The layout, or null when the spec asks for none of the three (the scheduler's default: one core). */
    static CoreLayout of(JobSpec spec, Dialect dialect) throws UnsupportedOptionException {
        if (spec.nodes() == null && spec.ntasks() == null && spec.cpusPerTask() == null) {
            return null;
        }
        long cpus = spec.cpusPerTask() == null ? 1 : spec.cpusPerTask();
        if (spec.nodes() == null) {
            long tasks = spec.ntasks() == null ? 1 : spec.ntasks();
            return new CoreLayout(tasks > 1 && cpus == 1 ? 0 : 1, tasks * cpus, false);
        }
        long nodes = nodeCount(spec.nodes(), dialect);
        long tasks = spec.ntasks() == null ? nodes : spec.ntasks();
        long cores = tasks * cpus;
        if (cores % nodes != 0) {
            throw new UnsupportedOptionException(dialect.name(), "--nodes " + spec.nodes() + " with " + tasks
                    + " tasks × " + cpus + " cpus", dialect.label() + " gives each node the same number of cores, and "
                    + cores + " cores do not split evenly over " + nodes + " nodes");
        }
        return new CoreLayout(nodes, cores, true);
    }

    /** A node count: a number, or a range of one number ("2-2"); a real range is refused. */
    static long nodeCount(String nodes, Dialect dialect) throws UnsupportedOptionException {
        String n = nodes.strip();
        int dash = n.indexOf('-');
        if (dash >= 0) {
            if (!n.substring(0, dash).equals(n.substring(dash + 1))) {
                throw new UnsupportedOptionException(dialect.name(), "--nodes " + nodes,
                        dialect.label() + " takes a fixed number of nodes, not a range; give one number");
            }
            n = n.substring(0, dash);
        }
        try {
            long count = Long.parseLong(n);
            if (count < 1) {
                throw new IllegalArgumentException("--nodes must be positive: " + nodes);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nodes is not a number: " + nodes, e);
        }
    }
}
