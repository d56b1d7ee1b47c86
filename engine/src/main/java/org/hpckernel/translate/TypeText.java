package org.hpckernel.translate;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small facts about a type written as text ({@code List<Point>}, {@code int[]}). */
final class TypeText {
    private static final Pattern NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*");
    private static final Map<String, String> BOXES = Map.of("int", "Integer", "long", "Long", "double", "Double",
            "float", "Float", "boolean", "Boolean", "char", "Character", "byte", "Byte", "short", "Short");

    private TypeText() {}

    /** {@code Integer} for {@code int}; any other type as it is. */
    static String boxed(String type) {
        return BOXES.getOrDefault(type.strip(), type.strip());
    }

    /** The simple names a type mentions: {@code Map<String, List<Point>>} mentions Map, String, List, Point. */
    static Set<String> names(String type) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = NAME.matcher(type);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** Commas outside angle brackets. */
    static int topLevelCommas(String text) {
        int depth = 0;
        int commas = 0;
        for (char c : text.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                commas++;
            }
        }
        return commas;
    }
}
