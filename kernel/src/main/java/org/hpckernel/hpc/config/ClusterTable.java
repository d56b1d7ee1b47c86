package org.hpckernel.hpc.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code %hpc clusters} lists: one row per configured cluster, the note on how the current one
 * is chosen, and where the configuration came from. Rendering is the notebook layer's job.
 */
public record ClusterTable(List<Row> rows, String note, String source) {
    /** One cluster; {@code current} marks where cells without --cluster run. */
    public record Row(boolean current, String name, String scheduler, String host, String workdir) {}

    public ClusterTable {
        rows = List.copyOf(rows);
    }

    static ClusterTable of(ClusterConfig config, String current) {
        List<Row> rows = new ArrayList<>();
        for (ClusterProfile c : config.clusters()) {
            rows.add(new Row(c.name().equals(current), c.name(), c.scheduler(), host(c), c.workdir()));
        }
        String source = config.source() == null
                ? "no " + config.sourceLabel() + ", so jobs run on this machine; create that file to add clusters"
                : config.sourceLabel();
        return new ClusterTable(rows, "* = where cells without --cluster run (change with %hpc use NAME)", source);
    }

    /** user@host:port as ssh would be told, or "this machine" for a cluster without "host". */
    static String host(ClusterProfile c) {
        if (c.ssh() == null) return "this machine";
        var ssh = c.ssh();
        return (ssh.user() == null ? "" : ssh.user() + "@") + ssh.host() + (ssh.port() == null ? "" : ":" + ssh.port());
    }
}
