package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.options.HpcOption;
import org.junit.jupiter.api.Test;

/** %hpc help: an HTML table for notebooks, and text that a terminal or nbconvert shows as readably. */
class HpcHelpTest {
    private final MimeBundle help = HpcHelp.bundle();

    @Test
    void theHtmlIsATableWithARowPerOptionAndPerCommand() {
        String html = (String) help.data().get("text/html");
        int rows = html.split("<tr>", -1).length - 1;
        assertEquals(HpcOption.values().length + HpcHelp.COMMANDS.size() + 2, rows, "a row each, plus two header rows");
        assertTrue(html.contains("<td style=\"text-align: left; vertical-align: top\"><code style=\"white-space: nowrap\">--time, -t TIME</code></td>"), html);
        assertTrue(html.contains("%hpc jobs [--all] [--notebook PATH]"), html);
        assertTrue(!html.contains("\"--time <"), "values are escaped");
    }

    @Test
    void theTextFitsEightyColumnsAndNamesEveryOptionAndCommand() {
        String text = (String) help.data().get("text/plain");
        for (String line : text.split("\n")) assertTrue(line.length() <= HpcHelp.WIDTH, "too wide: " + line);
        for (HpcOption o : HpcOption.values()) assertTrue(text.contains("  " + o.longName()), o.longName());
        for (String sub : HpcLineMagic.SUBCOMMANDS) assertTrue(text.contains("%hpc " + sub), sub);
        // A wrapped meaning continues under itself, not under the first column.
        assertTrue(text.contains("  --time, -t TIME"), text);
    }

    @Test
    void wrappingKeepsWordsWhole() {
        assertEquals(List.of("aaa bbb", "ccc", "dddddddddd"), HpcHelp.wrap("aaa bbb ccc dddddddddd", 7));
    }
}
