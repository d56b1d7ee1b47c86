package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.environment.JobEnvironment;

/**
 * A validated job request, scheduler-neutral. Null means "not asked" (the scheduler's default).
 * {@code time} is a duration parsed from sbatch's syntax; {@code memMegabytes} from "4G" etc.;
 * {@code array} is a validated sbatch-style spec ("1-4", "0-15%4", "1,3,5"). {@code environment}:
 * the container, Guix manifest and module init script besides the modules (never null).
 *
 * <p>Counts are checked here, once, for every scheduler: tasks, CPUs and megabytes are positive,
 * a time limit is not negative (the options parser checks notebook input; this guards specs built
 * elsewhere), so that no dialect checks them again.
 */
public record JobSpec(
        String jobName,
        String cluster,
        String jobDir,
        String partition,
        Duration time,
        String nodes,
        Integer ntasks,
        Integer cpusPerTask,
        Long memMegabytes,
        String gpus,
        String account,
        String qos,
        String array,
        Map<String, String> env,
        List<String> modules,
        JobEnvironment environment) {

    public JobSpec {
        environment = environment == null ? JobEnvironment.NONE : environment;
        positive("--ntasks", ntasks);
        positive("--cpus-per-task", cpusPerTask);
        positive("--mem", memMegabytes);
        if (time != null && time.isNegative()) {
            throw new IllegalArgumentException("--time must not be negative: " + time);
        }
    }

    private static void positive(String option, Number n) {
        if (n != null && n.longValue() <= 0) {
            throw new IllegalArgumentException(option + " must be positive: " + n);
        }
    }

    public boolean isArray() {
        return array != null;
    }

    /** A spec with nothing asked; set what you need: {@code JobSpec.builder().jobName("x").ntasks(4).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        return new Builder().jobName(jobName).cluster(cluster).jobDir(jobDir).partition(partition).time(time)
                .nodes(nodes).ntasks(ntasks).cpusPerTask(cpusPerTask).memMegabytes(memMegabytes).gpus(gpus)
                .account(account).qos(qos).array(array).env(env).modules(modules).environment(environment);
    }

    /** Builds a {@link JobSpec} field by field; unset fields are null ("not asked"), env and modules empty. */
    public static final class Builder {
        private String jobName;
        private String cluster;
        private String jobDir;
        private String partition;
        private Duration time;
        private String nodes;
        private Integer ntasks;
        private Integer cpusPerTask;
        private Long memMegabytes;
        private String gpus;
        private String account;
        private String qos;
        private String array;
        private Map<String, String> env = Map.of();
        private List<String> modules = List.of();
        private JobEnvironment environment = JobEnvironment.NONE;

        private Builder() {}

        public Builder jobName(String v) {
            jobName = v;
            return this;
        }

        public Builder cluster(String v) {
            cluster = v;
            return this;
        }

        public Builder jobDir(String v) {
            jobDir = v;
            return this;
        }

        public Builder partition(String v) {
            partition = v;
            return this;
        }

        public Builder time(Duration v) {
            time = v;
            return this;
        }

        public Builder nodes(String v) {
            nodes = v;
            return this;
        }

        public Builder ntasks(Integer v) {
            ntasks = v;
            return this;
        }

        public Builder cpusPerTask(Integer v) {
            cpusPerTask = v;
            return this;
        }

        public Builder memMegabytes(Long v) {
            memMegabytes = v;
            return this;
        }

        public Builder gpus(String v) {
            gpus = v;
            return this;
        }

        public Builder account(String v) {
            account = v;
            return this;
        }

        public Builder qos(String v) {
            qos = v;
            return this;
        }

        public Builder array(String v) {
            array = v;
            return this;
        }

        public Builder env(Map<String, String> v) {
            env = v;
            return this;
        }

        public Builder modules(List<String> v) {
            modules = v;
            return this;
        }

        public Builder environment(JobEnvironment v) {
            environment = v;
            return this;
        }

        public JobSpec build() {
            return new JobSpec(jobName, cluster, jobDir, partition, time, nodes, ntasks, cpusPerTask, memMegabytes, gpus,
                    account, qos, array, env, modules, environment);
        }
    }
}
