package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.util.Log;

/**
 * Submits a packaged job so that exactly one job exists for it, whatever fails. A submit whose
 * outcome is ambiguous (a transient error such as sbatch's "Socket timed out", which it prints
 * after the controller may already have created the job; a timeout; a dropped connection; no id
 * in the answer) is resolved by looking the job up ({@link Scheduler#findSubmittedCommand}) over
 * a settle window, because an abandoned request can still land seconds later. Only when the
 * scheduler answered "no such job" after that window is the submit tried again; while it cannot
 * answer at all, nothing is retried and the submission ends {@link Unresolved} after a bound.
 */
public final class Submitter {
    /** How long each step may take; from the environment ({@link #fromEnvironment}) or a test. */
    public record Settings(Duration submitTimeout, Duration settle, Duration lookupInterval, Duration unreachableLimit,
            int attempts) {
        public static final Settings DEFAULT =
                new Settings(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(300), 3);

        /**
         * {@code HPC_KERNEL_SUBMIT_TIMEOUT} (seconds a submit command may take) and
         * {@code HPC_KERNEL_SUBMIT_SETTLE} (seconds to keep looking for a job after an ambiguous
         * submit) override the defaults.
         */
        public static Settings fromEnvironment(Map<String, String> env) {
            return new Settings(seconds(env, "HPC_KERNEL_SUBMIT_TIMEOUT", DEFAULT.submitTimeout),
                    seconds(env, "HPC_KERNEL_SUBMIT_SETTLE", DEFAULT.settle), DEFAULT.lookupInterval,
                    DEFAULT.unreachableLimit, DEFAULT.attempts);
        }

        /** The longest a submit can take, every attempt timing out and every look-up waiting its limit. */
        public Duration longestSubmit() {
            return submitTimeout.plus(settle.compareTo(unreachableLimit) > 0 ? settle : unreachableLimit).multipliedBy(attempts);
        }

        private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
            String v = env.get(name);
            if (v == null || v.isBlank()) return fallback;
            try {
                long s = Long.parseLong(v.strip());
                if (s > 0) return Duration.ofSeconds(s);
            } catch (NumberFormatException ignored) {
                // fall through to the warning
            }
            Log.warn("%s=%s is not a positive number of seconds; using %d", name, v, fallback.toSeconds());
            return fallback;
        }
    }

    /** Time as the submitter sees it, so that tests run the windows without waiting. */
    public interface Clock {
        long nanoTime();

        void sleep(Duration d) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d.toMillis());
            }
        };
    }

    /** What to look a submission up by: the scheduler's job name and the script's absolute path. */
    public record Target(String jobName, String scriptPath) {}

    /**
     * The scheduler could not be asked whether the job exists: it may or may not. The ledger keeps
     * the record as SUBMITTING so that a later run looks again instead of submitting twice.
     */
    public static final class Unresolved extends Exception {
        public Unresolved(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Clock clock;

    public Submitter(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public static Submitter standard() {
        return new Submitter(Settings.fromEnvironment(System.getenv()), Clock.SYSTEM);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The job id of the one job created for {@code job}.
     *
     * @param taken ids that belong to other submissions (already in the ledger): a job found by
     *     name with one of them is not this one
     * @throws SchedulerException the scheduler refused the job, or did not take it after the retries
     * @throws Unresolved the scheduler could not tell whether the job exists
     */
    public String submit(ClusterSession cluster, JobPackage job, Predicate<String> taken)
            throws SchedulerException, Unresolved, InterruptedException {
        Scheduler scheduler = cluster.scheduler();
        Target target = new Target(job.spec().jobName(), job.scriptPath());
        String last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            String ambiguity;
            try {
                CommandResult r = cluster.transport().run(scheduler.submitCommand(job.spec(), job.scriptPath()),
                        settings.submitTimeout());
                if (r.timedOut()) {
                    ambiguity = "the submit command did not answer within " + settings.submitTimeout().toSeconds() + " s";
                } else if (r.ok()) {
                    try {
                        return scheduler.parseJobId(r, job.spec());
                    } catch (SchedulerException e) {
                        ambiguity = e.getMessage(); // accepted, but no id printed: the job may well exist
                    }
                } else if (scheduler.isTransient(r)) {
                    ambiguity = r.output();
                } else {
                    return scheduler.parseJobId(r, job.spec()); // throws the refusal, with the option that caused it
                }
            } catch (IOException e) {
                ambiguity = "the connection dropped during the submit (" + e.getMessage() + ")";
            }
            last = ambiguity;
            Log.warn("submit of %s on %s (attempt %d of %d) ended ambiguously: %s; looking the job up", job.key(),
                    cluster.name(), attempt, settings.attempts(), ambiguity);
            Optional<String> found = lookUp(cluster, target, taken);
            if (found.isPresent()) {
                Log.info("job %s of %s found on %s after an ambiguous submit", found.get(), job.key(), cluster.name());
                return found.get();
            }
        }
        throw new SchedulerException("the scheduler of " + cluster.name() + " did not take the job after "
                + settings.attempts() + " attempts (checked each time that none had been created): " + last, true);
    }

    /**
     * Looks for a submission whose outcome is unknown (a kernel that stopped mid-submit, found by
     * the next one). Empty when the scheduler answered, over the whole settle window, that no such
     * job exists.
     */
    public Optional<String> resolve(ClusterSession cluster, Target target, Predicate<String> taken)
            throws Unresolved, InterruptedException {
        return lookUp(cluster, target, taken);
    }

    /**
     * Asks until the job is seen, or the scheduler has answered "none" at the end of the settle
     * window; failed look-ups do not count as "none", and are given up on after the unreachable
     * limit.
     */
    private Optional<String> lookUp(ClusterSession cluster, Target target, Predicate<String> taken)
            throws Unresolved, InterruptedException {
        Scheduler scheduler = cluster.scheduler();
        List<String> argv = scheduler.findSubmittedCommand(target.jobName(), target.scriptPath());
        long start = clock.nanoTime();
        long settleEnd = start + settings.settle().toNanos();
        long giveUp = start + Math.max(settings.unreachableLimit().toNanos(), settings.settle().toNanos());
        String problem = null;
        while (true) {
            long askedAt = clock.nanoTime();
            try {
                CommandResult r = cluster.transport().run(argv, settings.submitTimeout());
                if (r.ok()) {
                    Optional<String> id = scheduler.parseFindSubmitted(r, target.jobName(), target.scriptPath());
                    if (id.isPresent() && !taken.test(id.get())) return id;
                    if (askedAt >= settleEnd) return Optional.empty();
                    problem = null;
                } else {
                    problem = r.output();
                }
            } catch (IOException e) {
                problem = e.getMessage();
            }
            if (clock.nanoTime() >= giveUp) {
                throw new Unresolved("could not ask " + cluster.name() + " whether job " + target.jobName()
                        + " was created (" + problem + "); it may exist. The submission stays recorded: run the cell again"
                        + " once the scheduler answers, and it will be looked up, not submitted twice");
            }
            clock.sleep(settings.lookupInterval());
        }
    }
}
