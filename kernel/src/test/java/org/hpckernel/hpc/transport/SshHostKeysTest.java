package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostKeysTest {
    @TempDir
    Path dir;

    private static byte[] blob(int type) throws Exception {
        return KeyPair.genKeyPair(new JSch(), type, type == KeyPair.RSA ? 2048 : type == KeyPair.ECDSA ? 256 : 0).getPublicKeyBlob();
    }

    @Test
    void fingerprintMatchesSshKeygen() throws Exception {
        byte[] key = blob(KeyPair.ED25519);
        Path pub = dir.resolve("k.pub");
        Files.writeString(pub, "ssh-ed25519 " + Base64.getEncoder().encodeToString(key) + " test\n");
        String fp = SshHostKeys.fingerprint(key);
        assertTrue(fp.startsWith("SHA256:") && !fp.endsWith("="), fp);
        if (Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
            Process p = new ProcessBuilder("ssh-keygen", "-lf", pub.toString()).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            p.waitFor();
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(fp), out + " vs " + fp);
        }
    }

    @Test
    void strictRefusesUnknownAndRemembersIt() throws Exception {
        SshHostKeys keys = new SshHostKeys(List.of(dir.resolve("known_hosts")), List.of(), false);
        byte[] key = blob(KeyPair.ECDSA);
        assertEquals(HostKeyRepository.NOT_INCLUDED, keys.check("[h]:2222", key));
        assertNotNull(keys.refused());
        assertEquals("ecdsa-sha2-nistp256", keys.refused().type());
        assertTrue(!Files.exists(dir.resolve("known_hosts")), "strict never writes");
    }

    @Test
    void acceptNewAppendsAndThenMatches() throws Exception {
        Path kh = dir.resolve("sub/known_hosts");
        byte[] key = blob(KeyPair.RSA);
        SshHostKeys keys = new SshHostKeys(List.of(kh), List.of(), true);
        assertEquals(HostKeyRepository.OK, keys.check("[h]:2222", key));
        assertEquals("[h]:2222 ssh-rsa " + Base64.getEncoder().encodeToString(key) + "\n", Files.readString(kh));
        SshHostKeys strict = new SshHostKeys(List.of(kh), List.of(), false);
        assertEquals(HostKeyRepository.OK, strict.check("[h]:2222", key));
        assertEquals(HostKeyRepository.CHANGED, strict.check("[h]:2222", blob(KeyPair.RSA)));
        assertEquals(HostKeyRepository.CHANGED, new SshHostKeys(List.of(kh), List.of(), true).check("[h]:2222", blob(KeyPair.RSA)));
    }

    @Test
    void globalFilesAreReadButNeverWritten() throws Exception {
        byte[] key = blob(KeyPair.ED25519);
        Path global = dir.resolve("ssh_known_hosts");
        Files.writeString(global, "# comment\nlogin.example.org,10.0.0.1 ssh-ed25519 " + Base64.getEncoder().encodeToString(key) + "\n");
        Path user = dir.resolve("known_hosts");
        Files.writeString(user, "other ssh-ed25519 " + Base64.getEncoder().encodeToString(blob(KeyPair.ED25519))); // no newline
        SshHostKeys keys = new SshHostKeys(List.of(user), List.of(global), true);
        assertEquals(HostKeyRepository.OK, keys.check("login.example.org", key));
        assertEquals(HostKeyRepository.OK, keys.check("10.0.0.1", key));
        assertEquals(1, keys.getHostKey("login.example.org", null).length);
        assertEquals(HostKeyRepository.OK, keys.check("new.example.org", key));
        List<String> lines = Files.readAllLines(user);
        assertEquals(2, lines.size(), "appended on a line of its own");
        assertTrue(lines.get(1).startsWith("new.example.org ssh-ed25519 "));
        assertTrue(Files.readString(global).startsWith("# comment"));
    }
}
