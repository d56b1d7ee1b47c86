package org.hpckernel.hpc.options;

import java.util.ArrayList;
import java.util.List;

/**
 * One name of {@code --out NAME[,NAME…]}: a Java identifier, and for a #! cell an optional Java
 * type ({@code total:double}, {@code xs:List<Double>}) the JSON the script wrote is bound as.
 *
 * @param type null when not given
 */
public record OutputName(String name, String type) {
    /** The names of one {@code --out} value, split at the commas outside a type's angle brackets. */
    public static List<OutputName> parse(String value) throws BadValueException {
        List<OutputName> names = new ArrayList<>();
        for (String part : splitTopLevel(value)) {
            String item = part.strip();
            int colon = item.indexOf(':');
            String name = colon < 0 ? item : item.substring(0, colon).strip();
            if (!JavaTypes.isIdentifier(name)) {
                throw new BadValueException(Quoting.quote(item) + " in " + Quoting.quote(value) + " is not a variable name; expected "
                        + OptionForms.expected(HpcOption.OUT));
            }
            String type = null;
            if (colon >= 0) {
                type = item.substring(colon + 1).strip();
                java.util.Optional<String> problem = JavaTypes.problem(type);
                if (problem.isPresent()) {
                    throw new BadValueException(Quoting.quote(type) + " (the type of " + name + ") is not a Java type: "
                            + problem.get() + "; expected a type such as double, String, List<Double> or Map<String, Object>");
                }
            }
            names.add(new OutputName(name, type));
        }
        return names;
    }

    private static List<String> splitTopLevel(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts;
    }
}
