package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * PBS, in its two living forms, chosen by {@link Flavor}: PBS Professional / OpenPBS (19 and
 * later) and Torque (4 to 6), spoken through {@link PbsDialect}. {@link Flavor#fromVersion} tells
 * them apart from {@code qstat --version}.
 */
public final class PbsScheduler extends GridScheduler {
    /** Which PBS. */
    public enum Flavor {
        /** PBS Professional / OpenPBS, 19 or later (qstat -F json, qsub -J, ^array_index^). */
        PRO,
        /** Torque (qsub -t, qstat -f -1 text, job_state C). */
        TORQUE;

        /**
         * The flavor {@code qstat --version} shows: {@code pbs_version = 2022.1.1} (PBS Pro, OpenPBS)
         * or {@code Version: 6.1.2} / {@code version: 4.2.10} (Torque); empty when neither.
         */
        public static Optional<Flavor> fromVersion(CommandResult result) {
            String text = (result.stdout() + "\n" + result.stderr()).toLowerCase(Locale.ROOT);
            if (text.contains("pbs_version") || text.contains("pbspro") || text.contains("openpbs")) {
                return Optional.of(PRO);
            }
            if (text.matches("(?s).*\\bversion:\\s*[0-9].*")) {
                return Optional.of(TORQUE);
            }
            return Optional.empty();
        }
    }

    private final PbsDialect dialect;

    /** PBS Professional / OpenPBS. */
    public PbsScheduler() {
        this(Flavor.PRO);
    }

    public PbsScheduler(Flavor flavor) {
        this(flavor, List.of());
    }

    /** @param extraDirectives the profile's raw {@code #PBS} lines */
    public PbsScheduler(Flavor flavor, List<String> extraDirectives) {
        this(dialect(flavor), extraDirectives);
    }

    private static PbsDialect dialect(Flavor flavor) {
        if (flavor == null) {
            throw new IllegalArgumentException("flavor");
        }
        return flavor == Flavor.PRO ? new PbsDialect() : new TorqueDialect();
    }

    private PbsScheduler(PbsDialect dialect, List<String> extraDirectives) {
        super(dialect, extraDirectives);
        this.dialect = dialect;
    }

    public Flavor flavor() {
        return dialect.flavor();
    }

    String jobName(String name) {
        return dialect.submittedName(name);
    }

    String proArray(String array) throws UnsupportedOptionException {
        return dialect.proArray(array);
    }

    static String torqueArray(String array) {
        return TorqueDialect.torqueArray(array);
    }

    static String hms(Duration limit) {
        return PbsDialect.hms(limit);
    }

    static boolean sameJob(String requested, String printed) {
        return PbsDialect.same(requested, printed);
    }
}
