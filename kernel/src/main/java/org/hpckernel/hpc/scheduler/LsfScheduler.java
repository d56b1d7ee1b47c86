package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.transport.CommandResult;

/** IBM Spectrum LSF, spoken through {@link LsfDialect}. */
public final class LsfScheduler extends GridScheduler {
    static final String STATUS_FIELDS = LsfDialect.STATUS_FIELDS;
    static final String ACCOUNTING_FIELDS = LsfDialect.ACCOUNTING_FIELDS;

    public LsfScheduler() {
        this(List.of());
    }

    /** @param extraDirectives the profile's raw {@code #BSUB} lines */
    public LsfScheduler(List<String> extraDirectives) {
        super(new LsfDialect(), extraDirectives);
    }

    /** The state of each element of an array by its index (1..N). */
    public Map<Integer, JobState> elementStates(CommandResult result, String jobId) throws SchedulerException {
        if (result.timedOut() || !LsfJobs.answered(result)) {
            throw new SchedulerException(result.output(), isTransient(result));
        }
        Map<Integer, JobState> out = new LinkedHashMap<>();
        for (LsfJobs.Row r : LsfJobs.rows(result.stdout())) {
            if (r.id().equals(jobId)) {
                out.put(r.index(), r.state());
            }
        }
        return out;
    }

    record Slots(long count, long hosts, String span) {}

    static Slots slots(JobSpec spec) throws UnsupportedOptionException {
        LsfDialect.Slots s = new LsfDialect().slots(spec);
        return new Slots(s.count(), s.hosts(), s.span());
    }

    static String hint(String text, JobSpec spec) {
        return Refusal.hint(LsfDialect.REFUSALS, text, spec);
    }

    static String host(String execHost) {
        return LsfJobs.host(execHost);
    }

    static String runLimit(Duration time) {
        return LsfDialect.runLimit(time);
    }
}
