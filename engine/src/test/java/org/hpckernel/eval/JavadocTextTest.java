package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavadocTextTest {
    @Test
    void inlineTagsAndHtmlBecomePlainText() {
        String raw = " Returns the greater of two {@code int} values, see {@link Math#min(int, int)}.\n"
                + " <p>\n Uses &lt;b&gt; &amp; {@linkplain String text}.\n"
                + " @param a an argument.\n @param b another argument.\n @return the larger of {@code a} and {@code b}.";
        assertEquals("Returns the greater of two int values, see Math.min(int, int).\n\n"
                + "Uses <b> & text.\n\n"
                + "@param a an argument.\n@param b another argument.\n@return the larger of a and b.",
                JavadocText.toPlainText(raw));
    }
}
