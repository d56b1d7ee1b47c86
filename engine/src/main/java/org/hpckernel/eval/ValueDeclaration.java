package org.hpckernel.eval;

import java.util.List;
import java.util.Set;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * A cell's final expression evaluated as the declaration {@code Object $hpc$valueN = <expression>;}
 * instead of as a JShell expression. JShell runs four javac tasks for an expression (two to infer
 * its type, then the analysis and compilation every snippet gets) and two for a variable with a
 * declared type; each task re-reads an import per live declaration, so this halves the cost of a
 * value cell, fresh or late in a session.
 *
 * <p>Same result as the expression: overload resolution does not depend on the target type, so
 * the same code runs, and the value is read as an object either way (primitives boxed). Whatever
 * the declaration does not accept (a void call, a lambda, an unresolved name, a syntax error)
 * leaves it not {@link Snippet.Status#VALID}: then nothing has run and the caller evaluates the
 * original text the usual way, so JShell's own messages and forward-reference rules apply.
 * Assignments are never rewritten (the kernel shows no value for {@code x = 5}, the declaration
 * would); nor is text ending in {@code ;} (no value is shown), nor text that starts like a
 * declaration or statement. The variable is dropped once its value is read, like JShell's
 * {@code $n} temporaries, which this kernel has never kept either.
 */
final class ValueDeclaration {
    /**
     * The variable holding the value, numbered: dropped at once, so never visible to later cells.
     * One name for all makes JShell re-declare one key again and again, which, when the values
     * refer to other declarations, gets slower each time (measured: 380 ms a cell after 300 mixed
     * cells, against 19 ms with numbered names).
     */
    static final String NAME = "$hpc$value";

    /**
     * Words that start declarations and statements, never an expression whose value is shown. A
     * leading {@code switch} is a statement to JShell; as an initializer it would be an expression.
     */
    private static final Set<String> NOT_AN_EXPRESSION = Set.of("abstract", "assert", "boolean", "break", "byte",
            "case", "char", "class", "continue", "default", "do", "double", "enum", "final", "float", "for", "if",
            "import", "int", "interface", "long", "native", "non", "package", "private", "protected", "public",
            "record", "return", "sealed", "short", "static", "strictfp", "switch", "synchronized", "throw", "transient", "try",
            "var", "void", "volatile", "while", "yield");

    private ValueDeclaration() {}

    /** The declaration to try for {@code text} (the snippet as the cell has it), or null. */
    static String of(String text, int number) {
        String body = valueBody(text);
        return body == null ? null : declaration(body, number);
    }

    /** {@code text} stripped, if it reads as a value expression; else null. */
    static String valueBody(String text) {
        return valueBody(text, true);
    }

    /**
     * As {@link #valueBody(String)}; unless {@code rejectCompound}, a compound assignment such as
     * {@code x += 1} reads as a value too (JShell shows its value; a declaration must not take it).
     */
    static String valueBody(String text, boolean rejectCompound) {
        String body = text.strip();
        if (body.isEmpty() || body.endsWith(";") || body.contains("\"\"\"")
                || (rejectCompound ? hasAssignment(body) : hasSimpleAssignment(body))) {
            return null;
        }
        char first = body.charAt(0);
        if (first == '{' || first == '@' || first == '<' || NOT_AN_EXPRESSION.contains(firstWord(body))) {
            return null;
        }
        return body;
    }

    /** The declaration for a {@link #valueBody}. */
    static String declaration(String body, int number) {
        // The newline ends a trailing line comment before the ';'; the text stays on its lines,
        // so stack-frame lines still point into the cell.
        return "Object " + NAME + number + " = " + body + "\n;";
    }

    /** Whether the attempt declared the variable (and so ran the expression). */
    static boolean declared(List<SnippetEvent> events) {
        return events.size() == 1 && isValueVariable(events.get(0).snippet())
                && events.get(0).status() == Snippet.Status.VALID;
    }

    static boolean isValueVariable(Snippet snippet) {
        return snippet instanceof VarSnippet variable && variable.name().startsWith(NAME);
    }

    private static String firstWord(String body) {
        int end = 0;
        while (end < body.length() && Character.isJavaIdentifierPart(body.charAt(end))) {
            end++;
        }
        return body.substring(0, end);
    }

    /**
     * An {@code =} that is not part of {@code == != <= >=}, outside literals and comments: an
     * assignment (also inside a lambda body, where a rewrite would be harmless; kept simple).
     */
    static boolean hasAssignment(String body) {
        return assignment(body, true);
    }

    /** Like {@link #hasAssignment} for plain {@code =} only: compound ones ({@code +=}) have a value in JShell. */
    static boolean hasSimpleAssignment(String body) {
        return assignment(body, false);
    }

    private static boolean assignment(String body, boolean compoundToo) {
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\'') {
                i = MentionedNames.literalEnd(body, i);
            } else if (c == '/' && i + 1 < n && body.charAt(i + 1) == '/') {
                int eol = body.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            } else if (c == '/' && i + 1 < n && body.charAt(i + 1) == '*') {
                int close = body.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 1;
            } else if (c == '=') {
                char before = i > 0 ? body.charAt(i - 1) : ' ';
                char after = i + 1 < n ? body.charAt(i + 1) : ' ';
                if (after == '=') {
                    i++; // "==", whatever precedes it
                } else if (before != '!' && before != '<' && before != '>' && before != '=') {
                    if (compoundToo || "+-*/%&|^".indexOf(before) < 0) {
                        return true;
                    }
                } else if (compoundToo && i >= 2 && (before == '<' || before == '>') && body.charAt(i - 2) == before) {
                    return true; // <<= >>= >>>=
                }
            }
        }
        return false;
    }
}
