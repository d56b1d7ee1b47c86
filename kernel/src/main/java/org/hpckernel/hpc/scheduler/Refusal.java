package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phrases of a submit refusal (lower case) and the %%hpc option they are about, so that the user
 * reads "invalid partition specified: x (from --partition x)". The hint gives the option with the
 * value the spec set ("--time 00:10:00"), just the option when the spec is not known, or null when
 * the spec does not set it (then the refusal is about something else and names no option).
 */
record Refusal(List<String> phrases, Hint hint) {
    /** The hint text from the refusal's words and the spec (null when the spec is unknown). */
    @FunctionalInterface
    interface Hint {
        String of(String text, JobSpec spec);
    }

    /** A refusal about {@code option}, whose value is read from the spec in the form the scheduler was given. */
    static Refusal of(String phrase, String option, Function<JobSpec, Object> value) {
        return anyOf(List.of(phrase), option, value);
    }

    static Refusal anyOf(List<String> phrases, String option, Function<JobSpec, Object> value) {
        return new Refusal(phrases, (text, spec) -> SchedulerText.option(option, valueOf(spec, value), spec));
    }

    /**
     * Like {@link #of}, but when the spec does not set the option, its value is read from the
     * refusal (group 1 of {@code fromText}), e.g. a profile default the scheduler named.
     */
    static Refusal of(String phrase, String option, Function<JobSpec, Object> value, Pattern fromText) {
        return anyOf(List.of(phrase), option, value, fromText);
    }

    static Refusal anyOf(List<String> phrases, String option, Function<JobSpec, Object> value, Pattern fromText) {
        return new Refusal(phrases, (text, spec) -> {
            String v = valueOf(spec, value);
            if (v == null) {
                Matcher m = fromText.matcher(text);
                v = m.find() ? m.group(1) : null;
            }
            return SchedulerText.option(option, v, spec);
        });
    }

    /** Words that match a later phrase but are about no one option (e.g. a policy limit): no hint. */
    static Refusal noOption(String phrase) {
        return new Refusal(List.of(phrase), (text, spec) -> null);
    }

    private static String valueOf(JobSpec spec, Function<JobSpec, Object> value) {
        Object v = spec == null ? null : value.apply(spec);
        return v == null ? null : v.toString();
    }

    /** The hint of the first refusal whose phrase the text contains; null when none does. */
    static String hint(List<Refusal> refusals, String text, JobSpec spec) {
        String t = text.toLowerCase(Locale.ROOT);
        for (Refusal r : refusals) {
            for (String phrase : r.phrases()) {
                if (t.contains(phrase)) {
                    return r.hint().of(text, spec);
                }
            }
        }
        return null;
    }
}
