package org.hpckernel.eval;

import java.util.Set;

/**
 * Whether a snippet reads as a statement rather than a declaration, from its first words. Only a
 * first sort: {@link DirectSnippets} compiles what passes as the body of an {@code if}, which no
 * declaration can be, so a wrong "yes" costs one failed compilation, never a lost declaration.
 */
final class StatementShape {
    private static final Set<String> STATEMENT_WORDS = Set.of("if", "for", "while", "do", "try", "switch",
            "synchronized", "throw", "assert", "new");
    /**
     * Words that start a declaration, or a statement whose meaning at JShell's top level differs
     * from inside a method ({@code return}, {@code break}, {@code continue}, {@code yield}).
     */
    private static final Set<String> OTHER_WORDS = Set.of("abstract", "boolean", "break", "byte", "char", "class",
            "continue", "default", "double", "enum", "final", "float", "import", "int", "interface", "long", "native",
            "non", "package", "private", "protected", "public", "record", "return", "sealed", "short", "static",
            "strictfp", "transient", "var", "void", "volatile", "yield", "this", "super");

    private StatementShape() {}

    static boolean isStatement(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        if (first == '{') {
            return true;
        }
        if (!Character.isJavaIdentifierStart(first)) {
            return false;
        }
        int end = identifierEnd(text, 0);
        String word = text.substring(0, end);
        if (STATEMENT_WORDS.contains(word)) {
            return true;
        }
        if (OTHER_WORDS.contains(word)) {
            return false;
        }
        // A name, maybe qualified, generic or an array type: a declaration if another name follows
        // (not a member after '.' or after a call's explicit type arguments, as in List.<T>of).
        int i = end;
        int angles = 0;
        boolean typeArguments = false;
        boolean member = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '[' || c == ']' || c == '?' || c == ','
                    || (angles > 0 && Character.isJavaIdentifierPart(c))) {
                i++;
            } else if (c == '.') {
                member = angles == 0;
                i++;
            } else if (c == '<') {
                typeArguments |= angles == 0 && member;
                angles++;
                i++;
            } else if (c == '>' && angles > 0) {
                angles--;
                member = angles == 0 && typeArguments;
                typeArguments &= angles > 0;
                i++;
            } else if (Character.isJavaIdentifierStart(c) && angles == 0) {
                if (!member) {
                    return false;
                }
                member = false;
                i = identifierEnd(text, i);
            } else {
                return angles == 0;
            }
        }
        return false;
    }

    private static int identifierEnd(String text, int start) {
        int i = start;
        while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
