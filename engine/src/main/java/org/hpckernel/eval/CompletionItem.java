package org.hpckernel.eval;

import java.lang.module.ModuleDescriptor;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One completion candidate with what a frontend shows beside it: its kind ("method", "class",
 * "package", "field", "variable", "keyword") and, for methods, the shape of its signature with the
 * number of overloads ("max(…) – 4 overloads"). JShell's suggestions carry only the text (one per
 * overload), so the kind is read from that text and the qualifier typed before it; the parameter
 * types would cost JShell one trial compilation per name (a few ms each, measured), so they are
 * left to inspect (Shift-Tab, and JupyterLab's completer documentation panel, which asks inspect).
 */
public record CompletionItem(String text, String kind, String signature) {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "var", "record", "yield", "sealed", "permits", "true", "false", "null");
    private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]+");

    /** Every package of the boot layer and the prefixes of their names ("java", "java.util", ...). */
    private static final class Packages {
        static final Set<String> NAMES = load();

        private static Set<String> load() {
            Set<String> names = new HashSet<>();
            for (Module m : ModuleLayer.boot().modules()) {
                ModuleDescriptor d = m.getDescriptor();
                for (String p : d == null ? m.getPackages() : d.packages()) {
                    for (int dot = p.indexOf('.'); dot > 0; dot = p.indexOf('.', dot + 1)) {
                        names.add(p.substring(0, dot));
                    }
                    names.add(p);
                }
            }
            return Set.copyOf(names);
        }
    }

    /**
     * @param text the candidate as JShell gives it ("max(", "String", "util")
     * @param qualifier the qualified name typed right before it ("java." for "java.util"), may be ""
     * @param overloads how many times JShell suggested it (once per overload for methods)
     */
    static CompletionItem of(String text, String qualifier, int overloads) {
        if (text.endsWith("(") || text.endsWith("()")) {
            String shape = text.endsWith("(") ? text + "…)" : text;
            return new CompletionItem(text, "method", overloads > 1 ? shape + " – " + overloads + " overloads" : shape);
        }
        if (KEYWORDS.contains(text)) {
            return new CompletionItem(text, "keyword", "");
        }
        if (Packages.NAMES.contains(qualifier + text)) {
            return new CompletionItem(text, "package", "");
        }
        if (!CONSTANT.matcher(text).matches() && Character.isUpperCase(text.codePointAt(0))) {
            return new CompletionItem(text, "class", "");
        }
        return new CompletionItem(text, qualifier.endsWith(".") ? "field" : "variable", "");
    }
}
