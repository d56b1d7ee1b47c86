package org.hpckernel.hpc.options;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated options of one {@code %%hpc} line: single values, repeatable values in the order
 * given, and flags. Every value has passed {@link OptionValues#check}.
 */
public record HpcArguments(Map<HpcOption, String> values, Map<HpcOption, List<String>> repeated, Set<HpcOption> flags) {
    public HpcArguments {
        // Enum-keyed copies keep the table's order, which makes dry-run output and tests stable.
        values = Collections.unmodifiableMap(values.isEmpty() ? new EnumMap<>(HpcOption.class) : new EnumMap<>(values));
        EnumMap<HpcOption, List<String>> lists = new EnumMap<>(HpcOption.class);
        repeated.forEach((option, list) -> lists.put(option, List.copyOf(list)));
        repeated = Collections.unmodifiableMap(lists);
        flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(HpcOption.class) : EnumSet.copyOf(flags));
    }

    public static HpcArguments empty() {
        return new HpcArguments(Map.of(), Map.of(), Set.of());
    }

    /** Parses the words after {@code %%hpc} (already split by {@code MagicArgs}). */
    public static HpcArguments parse(List<String> words) throws OptionException {
        return new HpcArgumentParser(words).parse();
    }

    public Optional<String> value(HpcOption option) {
        return Optional.ofNullable(values.get(option));
    }

    public List<String> list(HpcOption option) {
        return repeated.getOrDefault(option, List.of());
    }

    public boolean has(HpcOption flag) {
        return flags.contains(flag);
    }

    /** The same options with {@code option} set to {@code value} (--for sets the --array it implies). */
    public HpcArguments with(HpcOption option, String value) {
        Map<HpcOption, String> v = new EnumMap<>(HpcOption.class);
        v.putAll(values);
        v.put(option, value);
        return new HpcArguments(v, repeated, flags);
    }

    /** The cluster asked for with --cluster; the caller picks the profile from it before building the job. */
    public Optional<String> cluster() {
        return value(HpcOption.CLUSTER);
    }
}
