package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.config.ClusterTable;
import org.junit.jupiter.api.Test;

class ClusterTableViewTest {
    private static final String NOTE = "* = where cells without --cluster run (change with %hpc use NAME)";

    private static ClusterTable twoClusters() {
        return new ClusterTable(List.of(new ClusterTable.Row(false, "dahu", "slurm", "me@login.example.org:2222", "/scratch/me"),
                new ClusterTable.Row(true, "laptop", "local", "this machine", "/tmp/jobs")), NOTE,
                "~/.config/hpc-kernel/clusters.json");
    }

    @Test
    void plainTextLinesUpTheColumnsAndMarksTheCurrentCluster() {
        assertEquals(String.join("\n",
                "  NAME    SCHEDULER  HOST                       WORKDIR",
                "  dahu    slurm      me@login.example.org:2222  /scratch/me",
                "* laptop  local      this machine               /tmp/jobs",
                NOTE,
                "config: ~/.config/hpc-kernel/clusters.json"), ClusterTableView.plain(twoClusters()));
    }

    @Test
    void htmlIsATableRowPerCluster() {
        String html = ClusterTableView.html(twoClusters());
        assertTrue(html.contains("<tr><td>*</td><td><code>laptop</code></td><td>local</td><td>this machine</td>"
                + "<td><code>/tmp/jobs</code></td></tr>"), html);
    }

    @Test
    void theBundleCarriesBothForms() {
        MimeBundle bundle = ClusterTableView.render(twoClusters());
        assertEquals(ClusterTableView.plain(twoClusters()), bundle.data().get("text/plain"));
        assertEquals(ClusterTableView.html(twoClusters()), bundle.data().get("text/html"));
    }

    @Test
    void htmlIsEscaped() {
        ClusterTable table = new ClusterTable(List.of(new ClusterTable.Row(true, "a", "slurm", "this machine", "/w/<script>&'\"")),
                NOTE, "x");
        String html = ClusterTableView.html(table);
        assertTrue(html.contains("/w/&lt;script&gt;&amp;&#39;&quot;"), html);
        assertFalse(html.contains("<script>"), html);
    }
}
