package org.hpckernel.hpc;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds notebook variables a Java %%hpc cell uses. Variables are not shipped to the job, so such
 * a cell would fail on the node after waiting in the queue; better to say so before submitting.
 * A name the cell declares itself ({@code int n = …}, {@code var n}, a parameter) is not counted.
 */
public final class NotebookVariables {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private NotebookVariables() {}

    public static Set<String> used(String javaBody, Set<String> notebookVariables) {
        String code = stripLiteralsAndComments(javaBody);
        Set<String> used = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(code);
        while (m.find()) {
            String name = m.group();
            boolean member = m.start() > 0 && code.charAt(m.start() - 1) == '.';
            if (!member && notebookVariables.contains(name) && !declaredIn(code, name)) used.add(name);
        }
        return used;
    }

    private static boolean declaredIn(String code, String name) {
        Pattern declaration = Pattern.compile("[\\w>\\]]\\s+" + Pattern.quote(name) + "\\s*[=;:,)]");
        return declaration.matcher(code).find();
    }

    /** Replaces string/char literals and comments by spaces, so words inside them do not count. */
    static String stripLiteralsAndComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') { out.append(' '); i++; }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                for (; i < end; i++) out.append(' ');
            } else if (c == '"' || c == '\'') {
                boolean block = c == '"' && s.startsWith("\"\"\"", i);
                String close = block ? "\"\"\"" : String.valueOf(c);
                int j = i + close.length();
                while (j < s.length() && !s.startsWith(close, j)) j += s.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(s.length(), j + close.length());
                for (; i < j; i++) out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
