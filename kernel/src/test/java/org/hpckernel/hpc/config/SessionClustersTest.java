package org.hpckernel.hpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionClustersTest {
    @TempDir
    Path home;

    private ClusterConfig config(String json) throws Exception {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return ClusterConfig.load(Map.of(), home);
    }

    private ClusterConfig twoClusters() throws Exception {
        return config("""
                {"default": "dahu", "clusters": {
                  "dahu": {"scheduler": "slurm", "workdir": "/scratch/me", "host": "login.example.org", "user": "me", "port": 2222},
                  "laptop": {"scheduler": "local", "workdir": "/tmp/jobs"}}}""");
    }

    @Test
    void loadsAtFirstUseOnly() throws Exception {
        SessionClusters.Loader loader = mock(SessionClusters.Loader.class);
        ClusterConfig config = twoClusters();
        when(loader.load()).thenReturn(config);
        SessionClusters session = new SessionClusters(loader);
        verify(loader, times(0)).load();
        assertSame(config, session.config());
        assertEquals("dahu", session.current());
        session.currentProfile();
        verify(loader, times(1)).load();
    }

    @Test
    void aFailedLoadIsRetriedSoAFixedFileWorksWithoutRestart() throws Exception {
        SessionClusters.Loader loader = mock(SessionClusters.Loader.class);
        ClusterConfig config = twoClusters();
        when(loader.load()).thenThrow(new ConfigException("clusters.json, line 1: broken")).thenReturn(config);
        SessionClusters session = new SessionClusters(loader);
        assertEquals("clusters.json, line 1: broken", assertThrows(ConfigException.class, session::current).getMessage());
        assertEquals("dahu", session.current());
    }

    @Test
    void useChangesWhereCellsRunAndIsValidated() throws Exception {
        ClusterConfig config = twoClusters();
        SessionClusters session = new SessionClusters(() -> config);
        assertEquals("laptop", session.use("laptop").name());
        assertEquals("laptop", session.current());
        assertEquals("laptop", session.select(null).name());
        assertEquals("dahu", session.select("dahu").name()); // --cluster picks without changing the session's choice
        assertEquals("laptop", session.current());
        ConfigException e = assertThrows(ConfigException.class, () -> session.use("dahuu"));
        assertTrue(e.getMessage().endsWith("no cluster named \"dahuu\" (known: dahu, laptop); did you mean \"dahu\"?"),
                e.getMessage());
        assertEquals("laptop", session.current());
    }

    @Test
    void reloadKeepsTheChoiceWhileItExists() throws Exception {
        ClusterConfig[] next = {twoClusters()};
        SessionClusters session = new SessionClusters(() -> next[0]);
        session.use("laptop");
        next[0] = twoClusters();
        session.reload();
        assertEquals("laptop", session.current());
        next[0] = config("{\"clusters\": {\"other\": {\"scheduler\": \"local\"}}}");
        session.reload();
        assertEquals("other", session.current());
    }

    @Test
    void describeListsClustersWithTheCurrentMarked() throws Exception {
        ClusterConfig config = twoClusters();
        SessionClusters session = new SessionClusters(() -> config);
        session.use("laptop");
        ClusterTable table = session.describe();
        assertEquals(List.of(new ClusterTable.Row(false, "dahu", "slurm", "me@login.example.org:2222", "/scratch/me"),
                new ClusterTable.Row(true, "laptop", "local", "this machine", "/tmp/jobs")), table.rows());
        assertEquals("~/.config/hpc-kernel/clusters.json", table.source());
    }

    @Test
    void describeWithoutFileSaysWhereToCreateIt() throws Exception {
        SessionClusters session = new SessionClusters(() -> ClusterConfig.load(Map.of(), home));
        ClusterTable table = session.describe();
        assertEquals(1, table.rows().size());
        assertEquals(new ClusterTable.Row(true, "local", "local", "this machine", table.rows().get(0).workdir()), table.rows().get(0));
        assertEquals("no ~/.config/hpc-kernel/clusters.json, so jobs run on this machine; create that file to add clusters",
                table.source());
    }
}
