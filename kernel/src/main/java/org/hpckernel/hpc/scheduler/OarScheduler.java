package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.transport.CommandResult;

/** OAR, spoken through {@link OarDialect}. */
public final class OarScheduler extends GridScheduler {
    public OarScheduler() {
        this(List.of());
    }

    /** @param extraDirectives the profile's raw {@code #OAR} lines */
    public OarScheduler(List<String> extraDirectives) {
        super(new OarDialect(), extraDirectives);
    }

    /** The state of each subjob of an array by its array index (1..N, as OAR numbers them). */
    public Map<Integer, JobState> subjobStates(CommandResult result, String arrayId) throws SchedulerException {
        if (!result.ok()) {
            throw new SchedulerException(result.output(), isTransient(result));
        }
        Map<Integer, JobState> out = new LinkedHashMap<>();
        for (OarStat.Row r : OarStat.rows(result.stdout())) {
            if (r.arrayId().equals(arrayId)) {
                out.put(r.arrayIndex(), r.state());
            }
        }
        return out;
    }

    static String hint(String text, JobSpec spec) {
        return Refusal.hint(OarDialect.REFUSALS, text, spec);
    }

    static String resources(JobSpec spec) throws UnsupportedOptionException {
        return new OarDialect().resources(spec);
    }

    static String walltime(Duration time) {
        return OarDialect.walltime(time);
    }
}
