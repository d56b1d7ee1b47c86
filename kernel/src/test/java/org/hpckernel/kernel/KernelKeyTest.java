package org.hpckernel.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hpckernel.protocol.ConnectionInfo;
import org.junit.jupiter.api.Test;

class KernelKeyTest {
    private static ConnectionInfo withKey(String key) {
        return new ConnectionInfo("tcp", "127.0.0.1", 1, 2, 3, 4, 5, key, "hmac-sha256");
    }

    @Test
    void anEmptyKeyIsRefusedNamingTheFlagAndTheVariable() {
        Kernel.RefusedStart e = assertThrows(Kernel.RefusedStart.class,
                () -> Kernel.checkKey(withKey(""), Path.of("kernel-1.json"), false));
        assertTrue(e.getMessage().contains("kernel-1.json"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-unsigned"), e.getMessage());
        assertTrue(e.getMessage().contains("HPC_KERNEL_ALLOW_UNSIGNED=1"), e.getMessage());
    }

    @Test
    void anEmptyKeyRunsOnlyWhenAllowed() {
        assertDoesNotThrow(() -> Kernel.checkKey(withKey(""), Path.of("k.json"), true));
        assertDoesNotThrow(() -> Kernel.checkKey(withKey("secret"), Path.of("k.json"), false));
    }
}
