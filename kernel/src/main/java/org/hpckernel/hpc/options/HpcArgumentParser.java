package org.hpckernel.hpc.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code %%hpc} words the way sbatch does: {@code --opt value}, {@code --opt=value},
 * {@code -p value} and {@code -pVALUE} (short options only), repeatable --env/--module, flags.
 * Abbreviated long options are not accepted (a future option could make them ambiguous); they get
 * a "did you mean".
 */
final class HpcArgumentParser {
    private final List<String> words;
    private final Map<HpcOption, String> values = new EnumMap<>(HpcOption.class);
    private final Map<HpcOption, List<String>> repeated = new EnumMap<>(HpcOption.class);
    private final Set<HpcOption> flags = EnumSet.noneOf(HpcOption.class);
    private int next;

    HpcArgumentParser(List<String> words) {
        this.words = List.copyOf(words);
    }

    HpcArguments parse() throws OptionException {
        while (next < words.size()) {
            String word = words.get(next++);
            if (word.startsWith("--") && word.length() > 2) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word : word.substring(0, eq);
                HpcOption option = byLongName(name).orElseThrow(() -> unknown(word, name));
                take(option, eq < 0 ? null : word.substring(eq + 1));
            } else if (word.startsWith("-") && !word.startsWith("--") && word.length() > 1) {
                // sbatch allows the value glued to a short option: -pdebug, -t10.
                String name = word.substring(0, 2);
                HpcOption option = byShortName(name).orElseThrow(() -> unknown(word, name));
                take(option, word.length() > 2 ? word.substring(2) : null);
            } else {
                throw new OptionException("unexpected word " + Quoting.quote(word) + ": %%hpc takes only options "
                        + "(like -p debug -t 10); the code to run goes in the cell below the %%hpc line");
            }
        }
        return new HpcArguments(values, repeated, flags);
    }

    private void take(HpcOption option, String inline) throws OptionException {
        if (!option.takesValue()) {
            if (inline != null) {
                throw new OptionException(option.longName() + " takes no value (got " + Quoting.quote(inline) + ")");
            }
            if (!flags.add(option)) throw new OptionException(option.longName() + " is given twice; give it once");
            return;
        }
        String value = inline != null ? inline : nextValue(option);
        try {
            OptionValues.check(option, value);
        } catch (BadValueException e) {
            throw new OptionException(option.longName() + ": " + e.getMessage());
        }
        if (option.repeatable()) {
            repeated.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
        } else if (values.containsKey(option)) {
            throw new OptionException(option.longName() + " is given twice (" + Quoting.quote(values.get(option))
                    + " and " + Quoting.quote(value) + "); give it once");
        } else {
            values.put(option, value);
        }
    }

    private String nextValue(HpcOption option) throws OptionException {
        String missing = option.longName() + " needs a value " + option.valueName() + "; expected "
                + OptionForms.expected(option);
        if (next >= words.size()) throw new OptionException(missing);
        String value = words.get(next);
        // No option value may start with '-', so such a word is the next option and the value was forgotten.
        if (value.startsWith("-") && value.length() > 1) {
            throw new OptionException(missing + " (found the option " + Quoting.quote(value) + " instead)");
        }
        next++;
        return value;
    }

    private static Optional<HpcOption> byLongName(String name) {
        for (HpcOption o : HpcOption.values()) {
            if (o.longName().equals(name)) return Optional.of(o);
        }
        return Optional.empty();
    }

    private static Optional<HpcOption> byShortName(String name) {
        for (HpcOption o : HpcOption.values()) {
            if (o.shortName().filter(name::equals).isPresent()) return Optional.of(o);
        }
        return Optional.empty();
    }

    private static OptionException unknown(String word, String name) {
        // A single-dash long name ("-qos") is a common slip; look it up as "--qos".
        String asLong = name.startsWith("--") ? name : "--" + word.substring(1).split("=", 2)[0];
        String shown = Quoting.quote(name.startsWith("--") ? name : word.split("=", 2)[0]);
        Optional<String> suggestion = Suggestions.closest(asLong, HpcOption.longNames());
        if (suggestion.isPresent()) {
            return new OptionException("unknown option " + shown + "; did you mean " + suggestion.get()
                    + "? (%hpc help lists the options)");
        }
        String all = Arrays.stream(HpcOption.values())
                .map(o -> o.longName() + o.shortName().map(s -> " (" + s + ")").orElse(""))
                .collect(Collectors.joining(", "));
        return new OptionException("unknown option " + shown + "; the options are " + all);
    }
}
