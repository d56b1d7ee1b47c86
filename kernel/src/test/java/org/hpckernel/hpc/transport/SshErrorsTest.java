package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.hpckernel.display.StdinUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messages a user sees for JSch's failures (no server needed). */
class SshErrorsTest {
    @TempDir
    Path dir;

    private SshEndpoint endpoint(Path knownHosts, Path identity) throws Exception {
        return SshConfigResolver.load(null, dir, List.of()).resolve("login.example.org", 2222, "alice",
                identity == null ? null : identity.toString(), knownHosts.toString(), null, false);
    }

    private static byte[] hostKeyBlob() throws Exception {
        return KeyPair.genKeyPair(new JSch(), KeyPair.ED25519).getPublicKeyBlob();
    }

    private static SshErrors.LoginContext ctx(SshEndpoint ep, SshUserInfo ui, SshHostKeys keys) {
        return new SshErrors.LoginContext("hpc", ep, false, null, ui, keys, new SshIdentities(ep, null));
    }

    @Test
    void unknownHostKeyGivesFingerprintLineAndKeyscan() throws Exception {
        Path kh = dir.resolve("known_hosts");
        SshEndpoint ep = endpoint(kh, null);
        SshHostKeys keys = new SshHostKeys(ep.knownHostsFiles(), List.of(), false);
        byte[] blob = hostKeyBlob();
        assertEquals(HostKeyRepository.NOT_INCLUDED, keys.check("[login.example.org]:2222", blob));
        SshException e = SshErrors.login(ctx(ep, null, keys), new JSchException("reject HostKey: [login.example.org]:2222"));
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind());
        String m = e.getMessage();
        assertTrue(m.contains(SshHostKeys.fingerprint(blob)), m);
        assertTrue(m.contains("ssh-ed25519"), m);
        assertTrue(m.contains("[login.example.org]:2222 ssh-ed25519 " + Base64.getEncoder().encodeToString(blob)), m);
        assertTrue(m.contains("ssh-keyscan -p 2222 login.example.org >> " + kh), m);
        assertTrue(m.contains("accept-new"), m);
        assertTrue(e.getMessage().startsWith("cluster hpc: "), m);
    }

    @Test
    void changedHostKeyWarnsOfAnAttackAndGivesTheFix() throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[login.example.org]:2222 ssh-ed25519 " + Base64.getEncoder().encodeToString(hostKeyBlob()) + "\n");
        SshEndpoint ep = endpoint(kh, null);
        SshHostKeys keys = new SshHostKeys(ep.knownHostsFiles(), List.of(), true);
        byte[] now = hostKeyBlob();
        assertEquals(HostKeyRepository.CHANGED, keys.check("[login.example.org]:2222", now), "accept-new never accepts a changed key");
        SshException e = SshErrors.login(ctx(ep, null, keys), new JSchException("HostKey has been changed: [login.example.org]:2222"));
        assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind());
        String m = e.getMessage();
        assertTrue(m.contains("CHANGED") && m.contains("attack"), m);
        assertTrue(m.contains("ssh-keygen -R '[login.example.org]:2222' -f " + kh), m);
        assertTrue(m.contains(SshHostKeys.fingerprint(now)), m);
    }

    @Test
    void refusedKeyNamesUserKeysAndFix() throws Exception {
        Path key = dir.resolve("id_missing");
        SshEndpoint ep = endpoint(dir.resolve("kh"), key);
        SshException e = SshErrors.login(ctx(ep, new SshUserInfo("hpc", ep.destination(), CredentialPrompt.none()), null),
                new JSchException("Auth fail for methods 'publickey'"));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind());
        assertTrue(e.getMessage().contains("no key to offer") && e.getMessage().contains(key + ": no such file"), e.getMessage());
    }

    @Test
    void wrongCode() throws Exception {
        SshEndpoint ep = endpoint(dir.resolve("kh"), null);
        SshUserInfo ui = new SshUserInfo("hpc", ep.destination(), (p, echo) -> "123456");
        assertEquals(1, ui.promptKeyboardInteractive("d", "", "", new String[] {"Verification code: "}, new boolean[] {false}).length);
        SshException e = SshErrors.login(ctx(ep, ui, null), new JSchException("Auth fail for methods 'keyboard-interactive'"));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind());
        assertTrue(e.getMessage().contains("wrong password or one-time code"), e.getMessage());
        SshException many = SshErrors.login(ctx(ep, ui, null),
                new JSchException("SSH_MSG_DISCONNECT: 2 Too many authentication failures "));
        assertTrue(many.getMessage().contains("wrong password or one-time code"), many.getMessage());
    }

    @Test
    void tooManyKeys() throws Exception {
        SshEndpoint ep = endpoint(dir.resolve("kh"), null);
        SshException e = SshErrors.login(ctx(ep, new SshUserInfo("hpc", ep.destination(), CredentialPrompt.none()), null),
                new JSchException("SSH_MSG_DISCONNECT: 2 Too many authentication failures "));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind());
        assertTrue(e.getMessage().contains("MaxAuthTries") && e.getMessage().contains("IdentitiesOnly"), e.getMessage());
    }

    @Test
    void noStdinGivesTheClearMessage() throws Exception {
        SshEndpoint ep = endpoint(dir.resolve("kh"), null);
        SshUserInfo ui = new SshUserInfo("hpc", ep.destination(), (p, echo) -> {
            throw new StdinUnavailableException("no stdin");
        });
        assertNull(ui.promptKeyboardInteractive("d", "", "", new String[] {"Verification code: "}, new boolean[] {false}));
        SshException e = SshErrors.login(ctx(ep, ui, null), new JSchException("Auth cancel for methods 'keyboard-interactive'"));
        assertEquals(SshException.Kind.INPUT_UNAVAILABLE, e.kind());
        assertEquals("cluster hpc (alice@login.example.org:2222) needs a one-time code (\"Verification code:\"), but this "
                + "frontend cannot ask for one (nbclient, papermill, CI): run a cell from an interactive notebook first (the "
                + "connection and its login are kept for the whole kernel session), or use a key without passphrase or an "
                + "ssh-agent where the site allows it.", e.getMessage());
        SshUserInfo keyUi = new SshUserInfo("hpc", ep.destination(), CredentialPrompt.none());
        assertTrue(!keyUi.promptPassphrase("Passphrase for /k/id"));
        SshException k = SshErrors.login(ctx(ep, keyUi, null), new JSchException("Auth cancel for methods 'publickey'"));
        assertEquals(SshException.Kind.INPUT_UNAVAILABLE, k.kind());
        assertTrue(k.getMessage().contains("the passphrase of the key /k/id") && k.getMessage().contains("ssh-agent"), k.getMessage());
    }

    @Test
    void networkFailures() throws Exception {
        SshEndpoint ep = endpoint(dir.resolve("kh"), null);
        SshErrors.LoginContext c = ctx(ep, null, null);
        SshException refused = SshErrors.login(c, new JSchException("java.net.ConnectException: Connection refused",
                new ConnectException("Connection refused")));
        assertEquals(SshException.Kind.CONNECTION_REFUSED, refused.kind());
        assertTrue(refused.getMessage().contains("login.example.org:2222"), refused.getMessage());
        assertTrue(refused.transientFailure());
        SshException timeout = SshErrors.login(c, new JSchException("timeout: socket is not established"));
        assertEquals(SshException.Kind.TIMEOUT, timeout.kind());
        SshException unknown = SshErrors.login(c, new JSchException("java.net.UnknownHostException: login.example.org",
                new UnknownHostException("login.example.org")));
        assertEquals(SshException.Kind.UNKNOWN_HOST, unknown.kind());
        assertTrue(unknown.getMessage().contains("unknown host name \"login.example.org\""), unknown.getMessage());
        SshException closed = SshErrors.login(c, new JSchException("connection is closed by foreign host"));
        assertEquals(SshException.Kind.NETWORK, closed.kind());
        SshException other = SshErrors.login(c, new JSchException("something odd"));
        assertEquals(SshException.Kind.OTHER, other.kind());
        assertTrue(other.getMessage().contains("something odd"));
    }

    @Test
    void lostConnection() {
        assertTrue(SshErrors.looksLikeConnectionLoss(new JSchException("session is down")));
        assertTrue(SshErrors.looksLikeConnectionLoss(new java.io.IOException("x", new java.net.SocketException("Connection reset"))));
        assertTrue(!SshErrors.looksLikeConnectionLoss(new JSchException("No such file")));
    }
}
