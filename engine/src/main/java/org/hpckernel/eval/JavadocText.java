package org.hpckernel.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns raw Javadoc (HTML plus inline tags) into plain text for an inspection pane. */
final class JavadocText {
    private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal)\\s+([^{}]*)}");
    private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)?\\s+([^\\s{}(]+(?:\\([^)]*\\))?)(?:\\s+([^{}]*))?}");
    private static final Pattern OTHER_INLINE = Pattern.compile("\\{@\\w+[^{}]*}");
    private static final Pattern PARAGRAPH = Pattern.compile("(?i)</?p\\s*/?>|<br\\s*/?>|</?(?:ul|ol|pre|blockquote)[^>]*>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<li[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private JavadocText() {}

    static String toPlainText(String javadoc) {
        String text = CODE.matcher(javadoc).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        text = LINK.matcher(text).replaceAll(m -> Matcher.quoteReplacement(linkLabel(m.group(1), m.group(2))));
        text = OTHER_INLINE.matcher(text).replaceAll("");
        text = PARAGRAPH.matcher(text).replaceAll("\n");
        text = LIST_ITEM.matcher(text).replaceAll("\n - ");
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
        StringBuilder out = new StringBuilder();
        boolean inBlockTags = false;
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("@") && !inBlockTags) {
                inBlockTags = true;
                if (out.length() > 0 && !endsWithBlankLine(out)) {
                    out.append('\n');
                }
            }
            if (trimmed.isEmpty()) {
                if (out.length() > 0 && !endsWithBlankLine(out)) {
                    out.append('\n');
                }
            } else {
                out.append(trimmed).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static boolean endsWithBlankLine(StringBuilder out) {
        int n = out.length();
        return n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n';
    }

    private static String linkLabel(String target, String label) {
        if (label != null && !label.isBlank()) {
            return label.strip();
        }
        int hash = target.indexOf('#');
        if (hash < 0) {
            return target;
        }
        String member = target.substring(hash + 1);
        return hash == 0 ? member : target.substring(0, hash) + "." + member;
    }
}
