package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.HpcException;
import org.hpckernel.hpc.HpcSession;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.SessionClusters;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.OptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HPC layer's errors reach the notebook under the names users have always seen. */
class HpcErrorsTest {
    @TempDir
    Path home;

    @Test
    void eachKindHasItsCellErrorName() {
        Map<HpcException.Kind, String> names = Map.of(HpcException.Kind.USAGE, "UsageError",
                HpcException.Kind.CONFIG, "ConfigError", HpcException.Kind.CONNECTION, "ConnectionFailed",
                HpcException.Kind.LEDGER, "LedgerError");
        for (HpcException.Kind kind : HpcException.Kind.values()) {
            MagicException e = HpcErrors.toMagic(new HpcException(kind, "what went wrong"));
            assertEquals(names.get(kind), e.ename());
            assertEquals("what went wrong", e.getMessage());
            assertEquals(List.of(names.get(kind) + ": what went wrong"), e.traceback());
        }
    }

    @Test
    void aBrokenClustersFileIsAConfigErrorWithTheLoadersMessage() throws Exception {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{");
        HpcSession session = new HpcSession(new SessionClusters(() -> ClusterConfig.load(Map.of(), home)));
        HpcException e = assertThrows(HpcException.class, session::config);
        MagicException shown = HpcErrors.toMagic(e);
        assertEquals("ConfigError", shown.ename());
        assertEquals(e.getMessage(), shown.getMessage());
        assertTrue(shown.getMessage().contains("clusters.json, line 1"), shown.getMessage());
    }

    @Test
    void aBadOptionIsAUsageError() {
        OptionException e = assertThrows(OptionException.class, () -> HpcArguments.parse(List.of("--tiem", "1")));
        MagicException shown = HpcErrors.toMagic(e);
        assertEquals("UsageError", shown.ename());
        assertEquals(e.getMessage(), shown.getMessage());
    }
}
