package org.hpckernel.eval;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/** Human names for snippets and for the classes JShell wraps them in. */
final class SnippetNames {
    // JShell nests user declarations in synthetic classes such as REPL.$JShell$12B; snippets
    // compiled outside JShell live in REPL.$Hpc$7 (DirectSnippets).
    private static final Pattern WRAPPER = Pattern.compile("(?:REPL\\.)?\\$(?:JShell|Hpc)\\$\\d+[A-Z]*[$.]?");

    private SnippetNames() {}

    /** "REPL.$JShell$13$MyException" becomes "MyException". */
    static String clean(String text) {
        return text == null ? null : WRAPPER.matcher(text).replaceAll("");
    }

    /** "method square(int)", "class Point", "variable count". */
    static String describe(DeclarationSnippet snippet) {
        if (snippet instanceof MethodSnippet method) {
            return "method " + method.name() + "(" + method.parameterTypes() + ")";
        } else if (snippet instanceof TypeDeclSnippet) {
            return switch (snippet.subKind()) {
                case INTERFACE_SUBKIND -> "interface " + snippet.name();
                case ENUM_SUBKIND -> "enum " + snippet.name();
                case RECORD_SUBKIND -> "record " + snippet.name();
                case ANNOTATION_TYPE_SUBKIND -> "annotation interface " + snippet.name();
                default -> "class " + snippet.name();
            };
        } else if (snippet instanceof VarSnippet) {
            return "variable " + snippet.name();
        }
        return snippet.name();
    }

    /** "until class Bar is declared", "until method f() and variable x are declared". */
    static String untilDeclared(JShell shell, DeclarationSnippet snippet) {
        List<String> missing = shell.unresolvedDependencies(snippet).collect(Collectors.toList());
        if (missing.isEmpty()) {
            return "until the errors in its definition are fixed";
        }
        String names = missing.size() == 1 ? missing.get(0)
                : String.join(", ", missing.subList(0, missing.size() - 1)) + " and " + missing.get(missing.size() - 1);
        return "until " + names + (missing.size() == 1 ? " is" : " are") + " declared";
    }

    /** What using a not-yet-usable declaration means: invoke a method, use anything else. */
    static String useVerb(DeclarationSnippet snippet) {
        if (snippet instanceof MethodSnippet) {
            return "invoked";
        }
        return snippet instanceof VarSnippet ? "referenced" : "used";
    }
}
