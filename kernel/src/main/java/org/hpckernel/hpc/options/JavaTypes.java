package org.hpckernel.hpc.options;

import java.util.Optional;
import java.util.Set;

/**
 * The Java type expressions a #! cell may ask its outputs to be bound as: a primitive or a
 * (qualified) class name, type arguments, {@code ?} wildcards and array brackets. Nothing else
 * passes, so the text the kernel hands to the notebook's session can only name a type.
 */
public final class JavaTypes {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "break", "case", "catch", "class", "const",
            "continue", "default", "do", "else", "enum", "extends", "final", "finally", "for", "goto", "if", "implements",
            "import", "instanceof", "interface", "native", "new", "package", "private", "protected", "public", "return",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "volatile", "while", "true", "false", "null", "void", "var");
    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

    private JavaTypes() {}

    public static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0)) || KEYWORDS.contains(s)
                || PRIMITIVES.contains(s)) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart) && s.chars().allMatch(c -> c < 128);
    }

    public static boolean isPrimitive(String type) {
        return PRIMITIVES.contains(type);
    }

    /** What is wrong with {@code type} as a type expression, or empty when it is one. */
    public static Optional<String> problem(String type) {
        if (type == null || type.isBlank()) return Optional.of("it is empty");
        if (type.length() > 512) return Optional.of("it is longer than 512 characters");
        Parser p = new Parser(type);
        try {
            p.type(false);
            p.skipSpaces();
            if (p.pos != type.length()) return Optional.of("unexpected " + Quoting.quote(type.substring(p.pos)));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A recursive-descent reader of {@code Name(.Name)*<Args>?([])*}; depth is bounded by the length cap. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void type(boolean argument) {
            skipSpaces();
            if (argument && peek('?')) {
                pos++;
                skipSpaces();
                int save = pos;
                String word = word();
                if (word.equals("extends") || word.equals("super")) type(false);
                else pos = save;
                return;
            }
            String first = word();
            if (first.isEmpty()) throw new IllegalArgumentException("a type name is missing at position " + (pos + 1));
            if (PRIMITIVES.contains(first)) {
                if (argument && !peekArray()) throw new IllegalArgumentException("a type argument cannot be the primitive " + first);
            } else {
                if (!isIdentifier(first)) throw new IllegalArgumentException(Quoting.quote(first) + " is not a type name");
                while (peek('.')) {
                    pos++;
                    String next = word();
                    if (!isIdentifier(next)) throw new IllegalArgumentException("a name is missing after '.'");
                }
                skipSpaces();
                if (peek('<')) {
                    pos++;
                    type(true);
                    skipSpaces();
                    while (peek(',')) {
                        pos++;
                        type(true);
                        skipSpaces();
                    }
                    if (!peek('>')) throw new IllegalArgumentException("'>' is missing");
                    pos++;
                }
            }
            skipSpaces();
            while (peek('[')) {
                pos++;
                skipSpaces();
                if (!peek(']')) throw new IllegalArgumentException("']' is missing");
                pos++;
                skipSpaces();
            }
        }

        private boolean peekArray() {
            int save = pos;
            skipSpaces();
            boolean array = peek('[');
            pos = save;
            return array;
        }

        private String word() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && s.charAt(pos) < 128 && Character.isJavaIdentifierPart(s.charAt(pos))) pos++;
            return s.substring(start, pos);
        }

        boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') pos++;
        }
    }
}
