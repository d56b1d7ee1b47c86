package org.hpckernel.hpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.options.BadValueException;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.MemorySizes;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.options.OptionForms;
import org.hpckernel.hpc.options.OptionValues;
import org.hpckernel.hpc.options.Quoting;
import org.hpckernel.hpc.options.TimeLimits;
import org.hpckernel.hpc.scheduler.JobSpec;

/**
 * Turns a cell's options plus the chosen cluster's defaults into a scheduler-neutral {@link JobSpec}.
 * The cell wins: a default is used only for an option the cell did not give. For --env the rule
 * applies per variable (a cell adding X=1 keeps the cluster's other variables); a cell's --module
 * list replaces the default one (the profile's "modules", or "defaults.module"), since an ordered
 * module list is a whole statement. The container and Guix options: {@link JobEnvironments}.
 * --cluster is not applied here: the caller picked {@code profile} with it.
 */
public final class JobSpecs {
    private JobSpecs() {}

    public static JobSpec build(HpcArguments args, ClusterProfile profile, String jobName, String jobDir)
            throws OptionException {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(jobDir, "jobDir");
        if (jobName == null || !HpcOption.JOB_NAME.accepts(jobName)) {
            throw new IllegalArgumentException("default job name " + Quoting.quote(jobName) + " is not "
                    + OptionForms.expected(HpcOption.JOB_NAME));
        }
        Values v = new Values(args, profile);
        Duration time = v.get(HpcOption.TIME) == null ? null : v.convert(HpcOption.TIME, TimeLimits::parse);
        Long mem = v.get(HpcOption.MEM) == null ? null : v.convert(HpcOption.MEM, MemorySizes::megabytes);
        String ntasks = v.get(HpcOption.NTASKS);
        String cpus = v.get(HpcOption.CPUS_PER_TASK);
        String name = v.get(HpcOption.JOB_NAME);
        return new JobSpec(
                name != null ? name : jobName,
                profile.name(),
                jobDir,
                v.get(HpcOption.PARTITION),
                time,
                v.get(HpcOption.NODES),
                ntasks == null ? null : Integer.valueOf(ntasks), // the pattern allows at most 7 digits
                cpus == null ? null : Integer.valueOf(cpus),     // and 5 here: both fit an int
                mem,
                v.get(HpcOption.GPUS),
                v.get(HpcOption.ACCOUNT),
                v.get(HpcOption.QOS),
                v.get(HpcOption.ARRAY),
                v.env(),
                v.modules(),
                JobEnvironments.build(args, profile));
    }

    /** One option's effective value and where it came from, for messages that point at the right place. */
    private static final class Values {
        private final HpcArguments args;
        private final ClusterProfile profile;

        Values(HpcArguments args, ClusterProfile profile) {
            this.args = args;
            this.profile = profile;
        }

        String get(HpcOption option) throws OptionException {
            String value = args.values().get(option);
            if (value != null) return checked(option, value, false);
            value = profile.defaults().get(option);
            return value == null ? null : checked(option, value, true);
        }

        <T> T convert(HpcOption option, Converter<T> converter) throws OptionException {
            boolean fromDefault = !args.values().containsKey(option);
            try {
                return converter.convert(get(option));
            } catch (BadValueException e) {
                throw error(option, e, fromDefault);
            }
        }

        Map<String, String> env() throws OptionException {
            Map<String, String> env = new LinkedHashMap<>();
            String fallback = profile.defaults().get(HpcOption.ENV);
            if (fallback != null) {
                checked(HpcOption.ENV, fallback, true);
                put(env, fallback);
            }
            Map<String, String> fromCell = new LinkedHashMap<>();
            for (String assignment : args.list(HpcOption.ENV)) {
                checked(HpcOption.ENV, assignment, false);
                String key = assignment.substring(0, assignment.indexOf('='));
                if (fromCell.containsKey(key)) {
                    throw new OptionException("--env " + key + " is given twice (" + Quoting.quote(fromCell.get(key))
                            + " and " + Quoting.quote(assignment) + "); give each variable once");
                }
                fromCell.put(key, assignment);
            }
            for (String assignment : fromCell.values()) put(env, assignment);
            return Collections.unmodifiableMap(env);
        }

        List<String> modules() throws OptionException {
            List<String> modules = new ArrayList<>();
            if (!args.list(HpcOption.MODULE).isEmpty()) {
                for (String m : args.list(HpcOption.MODULE)) modules.add(checked(HpcOption.MODULE, m, false));
            } else if (!profile.environment().modules().isEmpty()) {
                for (String m : profile.environment().modules()) modules.add(checked(HpcOption.MODULE, m, true));
            } else if (profile.defaults().get(HpcOption.MODULE) != null) {
                modules.add(checked(HpcOption.MODULE, profile.defaults().get(HpcOption.MODULE), true));
            }
            return List.copyOf(modules);
        }

        private static void put(Map<String, String> env, String assignment) {
            int eq = assignment.indexOf('=');
            env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }

        /**
         * Checks again even though parsing and config loading already did: a ClusterProfile or
         * HpcArguments can be built by any code, and these values end up in batch scripts.
         */
        private String checked(HpcOption option, String value, boolean fromDefault) throws OptionException {
            try {
                OptionValues.check(option, value);
                return value;
            } catch (BadValueException e) {
                throw error(option, e, fromDefault);
            }
        }

        private OptionException error(HpcOption option, BadValueException e, boolean fromDefault) {
            String origin = fromDefault ? " (default of cluster " + Quoting.quote(profile.name()) + ")" : "";
            return new OptionException(option.longName() + origin + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Converter<T> {
        T convert(String value) throws BadValueException;
    }
}
