package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/**
 * Completion, inspection and completeness checks on cell text. JShell analyses one snippet at
 * a time, so each request is narrowed to the snippet under the cursor. Callers hold the
 * session lock.
 */
final class CodeAssistant {
    private static final String BLOCK_INDENT = "    ";

    private final JShell shell;

    CodeAssistant(JShell shell) {
        this.shell = shell;
    }

    Completion complete(String code, int cursor) {
        int at = clamp(cursor, code);
        List<CellSnippet> snippets = SnippetSplitter.split(shell.sourceCodeAnalysis(), code);
        int index = snippetAt(snippets, at);
        if (index < 0) {
            return new Completion(List.of(), at, at);
        }
        CellSnippet current = snippets.get(index);
        String text = code.substring(current.start(), Math.max(current.end(), at));
        int relative = at - current.start();
        // The cell's earlier declarations have not run yet, so JShell's session does not know
        // them: they are put in front of the snippet, the way the snippet will see them.
        String context = CellContext.before(shell.sourceCodeAnalysis(), snippets.subList(0, index), text);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = List.of();
        if (!context.isEmpty()) {
            suggestions = suggestions(context + text, context.length() + relative, anchor);
            anchor[0] -= context.length();
        }
        if (suggestions.isEmpty() || anchor[0] < 0) {
            suggestions = suggestions(text, relative, anchor);
        }
        // Candidates of the expected type first; JShell's order otherwise. JShell lists a method
        // once per overload: the count goes into the item's signature.
        Map<String, Integer> matches = new LinkedHashMap<>();
        for (Suggestion s : suggestions) {
            if (s.matchesType()) {
                matches.put(s.continuation(), 0);
            }
        }
        for (Suggestion s : suggestions) {
            matches.merge(s.continuation(), 1, Integer::sum);
        }
        int start = current.start() + anchor[0];
        String qualifier = qualifierBefore(code, start);
        List<CompletionItem> items = new ArrayList<>();
        matches.forEach((match, overloads) -> items.add(CompletionItem.of(match, qualifier, overloads)));
        return Completion.of(items, start, at);
    }

    private List<Suggestion> suggestions(String text, int cursor, int[] anchor) {
        try {
            return shell.sourceCodeAnalysis().completionSuggestions(text, cursor, anchor);
        } catch (RuntimeException e) {
            // JShell's analysis can trip over badly broken input; no completion is the right answer.
            return List.of();
        }
    }

    Inspection inspect(String code, int cursor, int detailLevel) {
        int at = clamp(cursor, code);
        Region region = regionAt(code, at);
        if (region == null) {
            return Inspection.NOT_FOUND;
        }
        String text = region.text();
        int relative = at - region.start();
        int nameEnd = relative;
        while (nameEnd < text.length() && Character.isJavaIdentifierPart(text.charAt(nameEnd))) {
            nameEnd++;
        }
        // documentation() answers for a cursor inside a call's parentheses or just after a
        // type name; for a bare method name it needs the "(" that a user has not typed yet.
        List<Documentation> docs = documentation(text, relative);
        if (docs.isEmpty()) {
            docs = documentation(text.substring(0, nameEnd) + "(", nameEnd + 1);
        }
        if (docs.isEmpty() && nameEnd != relative) {
            docs = documentation(text.substring(0, nameEnd), nameEnd);
        }
        if (docs.isEmpty()) {
            return Inspection.NOT_FOUND;
        }
        StringBuilder out = new StringBuilder();
        for (Documentation doc : docs) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(SnippetNames.clean(doc.signature()));
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                out.append("\n\n").append(JavadocText.toPlainText(doc.javadoc()));
            }
        }
        if (detailLevel > 0) {
            appendUserSource(out, identifierBefore(text, nameEnd));
        }
        return new Inspection(true, out.toString());
    }

    IsComplete isComplete(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return new IsComplete(IsComplete.COMPLETE, "");
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    if (info.remaining().isBlank() || info.remaining().length() >= rest.length()) {
                        return new IsComplete(IsComplete.COMPLETE, "");
                    }
                    rest = info.remaining();
                    break;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return new IsComplete(IsComplete.INCOMPLETE, BLOCK_INDENT.repeat(BraceDepth.of(code)));
                default:
                    return new IsComplete(IsComplete.INVALID, "");
            }
        }
    }

    private List<Documentation> documentation(String text, int cursor) {
        try {
            return shell.sourceCodeAnalysis().documentation(text, cursor, true);
        } catch (RuntimeException e) {
            // JShell's analysis can trip over badly broken input; no help is the right answer.
            return List.of();
        }
    }

    /** For "??" (detail level 1): the source of user declarations with that name. */
    private void appendUserSource(StringBuilder out, String name) {
        if (name.isEmpty()) {
            return;
        }
        shell.snippets()
                .filter(s -> shell.status(s).isActive())
                .filter(s -> s.kind() == Snippet.Kind.METHOD || s.kind() == Snippet.Kind.TYPE_DECL)
                .filter(s -> name.equals(((jdk.jshell.DeclarationSnippet) s).name()))
                .forEach(s -> out.append("\n\nSource:\n").append(s.source()));
    }

    /** The dotted name right before {@code end} ("java.util." before "Li"), or "". */
    private static String qualifierBefore(String code, int end) {
        int start = end;
        while (start > 0 && (Character.isJavaIdentifierPart(code.charAt(start - 1)) || code.charAt(start - 1) == '.')) {
            start--;
        }
        return code.substring(start, end);
    }

    private static String identifierBefore(String text, int end) {
        int start = end;
        while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        return text.substring(start, end);
    }

    private record Region(String text, int start) {
    }

    /** The snippet the cursor is in (or just after), as raw cell text. */
    private Region regionAt(String code, int cursor) {
        List<CellSnippet> snippets = SnippetSplitter.split(shell.sourceCodeAnalysis(), code);
        int index = snippetAt(snippets, cursor);
        if (index < 0) {
            return null;
        }
        CellSnippet found = snippets.get(index);
        int end = Math.max(found.end(), cursor);
        return new Region(code.substring(found.start(), end), found.start());
    }

    /** Index of the last snippet starting at or before the cursor, or -1. */
    private static int snippetAt(List<CellSnippet> snippets, int cursor) {
        int found = -1;
        for (int i = 0; i < snippets.size(); i++) {
            if (snippets.get(i).start() <= cursor) {
                found = i;
            }
        }
        return found;
    }

    private static int clamp(int cursor, String code) {
        return Math.max(0, Math.min(cursor, code.length()));
    }
}
