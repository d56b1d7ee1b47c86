package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigResolverTest {
    @TempDir
    Path home;
    Path ssh;

    @BeforeEach
    void writeConfig() throws Exception {
        ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.createDirectories(ssh.resolve("conf.d"));
        Files.writeString(ssh.resolve("conf.d/a.conf"), "Host included\n    HostName inc.example.org\n    Port 2201\n");
        Files.writeString(ssh.resolve("config"), """
                # settings for the kernel's tests
                Include conf.d/*.conf
                Host cluster
                    HostName login.example.org
                    Port 2200
                    User alice
                    IdentityFile ~/.ssh/id_cluster
                    IdentityFile %d/.ssh/id_%r_%h
                    UserKnownHostsFile ~/.ssh/kh_cluster ~/.ssh/kh_other
                    ProxyJump gw
                    ServerAliveInterval 5
                    ConnectTimeout 7
                    Ciphers aes256-ctr
                    PasswordAuthentication no
                Match host cluster
                    User mallory
                Host gw
                    HostName gw.example.org
                    User bob
                    IdentitiesOnly yes
                Host legacy
                    ProxyCommand ssh -q -W %h:%p bob@gw2 -p 2022
                Host weird
                    ProxyCommand nc -X 5 -x proxy:1080 %h %p
                Host alias-only
                    HostName %h.example.org
                    HostKeyAlias cluster-key
                    BatchMode yes
                Host *
                    StrictHostKeyChecking accept-new
                """);
    }

    private SshConfigResolver resolver() throws Exception {
        return SshConfigResolver.load(ssh.resolve("config"), home, List.of(Path.of("/etc/ssh/ssh_known_hosts")));
    }

    @Test
    void aliasTakesEverythingFromTheConfig() throws Exception {
        SshEndpoint e = resolver().resolve("cluster", null, null, null, null, null, false);
        assertEquals("login.example.org", e.host());
        assertEquals(2200, e.port());
        assertEquals("alice", e.user(), "a Match block must not leak into the Host block above it");
        assertEquals(List.of(ssh.resolve("id_cluster"), ssh.resolve("id_alice_login.example.org")), e.identityFiles());
        assertTrue(e.identitiesExplicit());
        assertEquals(List.of(ssh.resolve("kh_cluster"), ssh.resolve("kh_other")), e.knownHostsFiles());
        assertEquals(List.of(Path.of("/etc/ssh/ssh_known_hosts")), e.globalKnownHostsFiles());
        assertEquals("gw", e.proxyJump());
        assertEquals(5000, e.serverAliveIntervalMillis());
        assertEquals(7000, e.connectTimeoutMillis());
        assertEquals("aes256-ctr", e.jschConfig().get("cipher.c2s"));
        assertEquals("publickey,keyboard-interactive", e.jschConfig().get("PreferredAuthentications"));
        assertTrue(e.acceptNewHostKeys(), "StrictHostKeyChecking accept-new from Host *");
        assertEquals("alice@login.example.org:2200", e.destination());
        assertEquals("[login.example.org]:2200", e.knownHostsName());
    }

    @Test
    void clusterSettingsWinOverTheConfig() throws Exception {
        SshEndpoint e = resolver().resolve("cluster", 22, "carol", "/keys/k", "/kh/known", "none", false);
        assertEquals(22, e.port());
        assertEquals("carol", e.user());
        assertEquals(List.of(Path.of("/keys/k")), e.identityFiles());
        assertEquals(List.of(Path.of("/kh/known")), e.knownHostsFiles());
        assertNull(e.proxyJump());
        assertEquals("login.example.org", e.knownHostsName());
    }

    @Test
    void jumpHostsAreResolvedThroughTheConfigToo() throws Exception {
        SshConfigResolver r = resolver();
        SshEndpoint target = r.resolve("cluster", null, null, "/keys/cluster", null, null, false);
        List<SshEndpoint> jumps = r.resolveJumps(target, "/keys/cluster", null, false);
        assertEquals(1, jumps.size());
        SshEndpoint gw = jumps.get(0);
        assertEquals("gw.example.org", gw.host());
        assertEquals("bob", gw.user());
        assertEquals(22, gw.port());
        assertTrue(gw.identitiesOnly());
        assertEquals(List.of(Path.of("/keys/cluster")), gw.identityFiles(), "a jump host without IdentityFile uses the cluster's key");
        assertNull(gw.proxyJump());
    }

    @Test
    void chainsAndUserHostPortHops() throws Exception {
        SshConfigResolver r = resolver();
        SshEndpoint target = r.resolve("10.1.2.3", 22, "me", null, null, "first@gw:2022,included", false);
        List<SshEndpoint> jumps = r.resolveJumps(target, null, "/kh/cluster", false);
        assertEquals(List.of("first@gw.example.org:2022", System.getProperty("user.name") + "@inc.example.org:2201"),
                jumps.stream().map(SshEndpoint::destination).toList());
        assertEquals(List.of(Path.of("/kh/cluster")), jumps.get(1).knownHostsFiles(),
                "a hop without UserKnownHostsFile uses the cluster's known_hosts file");
    }

    @Test
    void includedFilesAreRead() throws Exception {
        SshEndpoint e = resolver().resolve("included", null, null, null, null, null, false);
        assertEquals("inc.example.org", e.host());
        assertEquals(2201, e.port());
    }

    @Test
    void simpleProxyCommandBecomesAJump() throws Exception {
        assertEquals("bob@gw2:2022", resolver().resolve("legacy", null, null, null, null, null, false).proxyJump());
        assertEquals("gw", SshConfigResolver.proxyCommandAsJump("x", "ssh -W %h:%p gw"));
        assertNull(SshConfigResolver.proxyCommandAsJump("x", "none"));
        SshException e = assertThrows(SshException.class, () -> resolver().resolve("weird", null, null, null, null, null, false));
        assertEquals(SshException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("ProxyJump"), e.getMessage());
    }

    @Test
    void tokensAliasesAndBatchMode() throws Exception {
        SshEndpoint e = resolver().resolve("alias-only", null, null, null, null, null, false);
        assertEquals("alias-only.example.org", e.host());
        assertEquals("cluster-key", e.knownHostsName());
        assertTrue(e.batchMode());
    }

    @Test
    void unknownNamesGetTheDefaults() throws Exception {
        Files.writeString(ssh.resolve("id_ed25519"), "not really a key");
        Files.writeString(ssh.resolve("id_rsa"), "not really a key");
        SshEndpoint e = resolver().resolve("plain.example.org", null, null, null, null, null, false);
        assertEquals("plain.example.org", e.host());
        assertEquals(22, e.port());
        assertEquals(System.getProperty("user.name"), e.user());
        assertEquals(List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_rsa")), e.identityFiles());
        assertFalse(e.identitiesExplicit());
        assertEquals(List.of(ssh.resolve("known_hosts"), ssh.resolve("known_hosts2")), e.knownHostsFiles());
        assertEquals("publickey,keyboard-interactive,password", e.jschConfig().get("PreferredAuthentications"));
    }

    @Test
    void matchBlocksAreReported() throws Exception {
        assertTrue(resolver().notes().stream().anyMatch(n -> n.contains("Match host cluster")), resolver().notes().toString());
    }

    @Test
    void noConfigFileIsFine() throws Exception {
        SshConfigResolver r = SshConfigResolver.load(home.resolve("nope"), home, List.of());
        SshEndpoint e = r.resolve("host.example.org", 2222, "u", null, null, null, true);
        assertEquals("u@host.example.org:2222", e.destination());
        assertTrue(e.acceptNewHostKeys());
        assertNull(e.proxyJump());
    }

    @Test
    void badProxyJumpIsAConfigError() throws Exception {
        SshException e = assertThrows(SshException.class,
                () -> resolver().resolve("x", null, null, null, null, "gw:notaport", false));
        assertEquals(SshException.Kind.CONFIG, e.kind());
    }
}
