package org.hpckernel.eval;

import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The declarations a cell makes before the snippet under the cursor, as source to put in front of
 * that snippet for analysis: JShell completes against the session only, and a cell's declarations
 * join the session only once it has run ({@code String s = "abc"; s.} would complete nothing).
 *
 * <p>The earlier methods and types become members of a holder class; the earlier variables become
 * locals of a method of it that the snippet continues, or fields beside the snippet when the snippet
 * itself declares a method or a type (as JShell's session variables are, to methods).
 */
final class CellContext {
    private static final String HOLDER = "$HpcCellContext";
    private static final String BODY = "$hpcCellBody";
    private static final String MODIFIERS =
            "(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*(?:(?:public|private|protected|static|final|abstract|sealed|non-sealed"
            + "|strictfp|synchronized|native|default)\\s+)*";
    private static final Pattern MEMBER = Pattern.compile("\\s*" + MODIFIERS + "(?:"
            + "(?:class|interface|enum|record|@interface)\\s"
            + "|(?:<[^>]*>\\s*)?(?!(?:new|return|throw|else|yield|case|assert)\\b)[\\w$.]+(?:<[^(=]*>)?(?:\\[\\])*\\s+[\\w$]+\\s*\\()");

    private CellContext() {}

    /** Source to prepend to {@code current}, or "" when the earlier snippets declare nothing. */
    static String before(SourceCodeAnalysis analysis, List<CellSnippet> earlier, String current) {
        StringBuilder members = new StringBuilder();
        StringBuilder variables = new StringBuilder();
        for (CellSnippet snippet : earlier) {
            if (!snippet.complete()) {
                continue;
            }
            for (Snippet s : snippets(analysis, snippet.source())) {
                switch (s.kind()) {
                    case VAR -> variables.append(s.source()).append('\n');
                    case METHOD, TYPE_DECL -> members.append(s.source()).append('\n');
                    default -> { }
                }
            }
        }
        if (members.isEmpty() && variables.isEmpty()) {
            return "";
        }
        if (MEMBER.matcher(current).lookingAt()) {
            return "class " + HOLDER + " {\n" + members + variables;
        }
        return "class " + HOLDER + " {\n" + members + "void " + BODY + "() throws Throwable {\n" + variables;
    }

    private static List<Snippet> snippets(SourceCodeAnalysis analysis, String source) {
        try {
            return analysis.sourceToSnippets(source);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
