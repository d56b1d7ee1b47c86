package org.hpckernel.hpc.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.hpckernel.util.Log;

/**
 * The keys one server is offered: private key files (ed25519, ecdsa, rsa; OpenSSH or PEM format,
 * encrypted or not) and the keys of a running ssh-agent ({@code SSH_AUTH_SOCK}, reached through
 * Java 16+ Unix domain sockets, no native library). The parsed key files live as long as the
 * transport, so a passphrase typed once also serves every reconnect. When the agent holds the
 * same key as a file, the agent's copy is used (no passphrase). Order: named files first, then the
 * agent's other keys (none with IdentitiesOnly); with only default files, the agent first.
 */
final class SshIdentities {
    private final JSch keyHolder = new JSch();
    private final List<Identity> files = new ArrayList<>();
    private final List<String> loadErrors = new ArrayList<>();
    private final boolean identitiesOnly;
    private final boolean explicit;
    private final Path agentSocket;
    private final String agentProblem;

    SshIdentities(SshEndpoint endpoint, Path agentSocket) {
        this.identitiesOnly = endpoint.identitiesOnly();
        this.explicit = endpoint.identitiesExplicit();
        for (Path p : endpoint.identityFiles()) {
            if (!Files.isRegularFile(p)) {
                if (endpoint.identitiesExplicit()) loadErrors.add(p + ": no such file");
                continue;
            }
            try {
                keyHolder.addIdentity(p.toString());
            } catch (JSchException e) {
                loadErrors.add(p + ": " + e.getMessage());
                Log.warn("ssh: cannot use key %s: %s", p, e.getMessage());
            }
        }
        files.addAll(keyHolder.getIdentityRepository().getIdentities());
        String problem = null;
        if (agentSocket != null && !Files.exists(agentSocket)) {
            problem = "SSH_AUTH_SOCK " + agentSocket + " does not exist";
            agentSocket = null;
        }
        this.agentSocket = agentSocket;
        this.agentProblem = problem;
    }

    /** A repository for one login; it asks the agent afresh each time. */
    IdentityRepository repository() {
        return new Combined();
    }

    /** For error messages: the keys offered, and the ones that could not be read. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Identity f : files) {
            parts.add(f.getName() + " (" + f.getAlgName() + (f.isEncrypted() ? ", passphrase-protected" : "") + ")");
        }
        if (agentSocket != null) {
            int n = agentIdentities().size();
            parts.add("ssh-agent (" + n + " key" + (n == 1 ? "" : "s") + (identitiesOnly ? ", only the same keys: IdentitiesOnly" : "") + ")");
        } else if (agentProblem != null) {
            parts.add("no ssh-agent (" + agentProblem + ")");
        }
        String offered = parts.isEmpty() ? "none" : String.join(", ", parts);
        return loadErrors.isEmpty() ? offered : offered + "; unusable: " + String.join("; ", loadErrors);
    }

    boolean hasKeys() {
        return !files.isEmpty() || (agentSocket != null && !agentIdentities().isEmpty());
    }

    /** Forgets decrypted keys. */
    void clear() {
        try {
            keyHolder.removeAllIdentity();
        } catch (JSchException e) {
            // nothing left to clear
        }
    }

    private List<Identity> agentIdentities() {
        if (agentSocket == null) return List.of();
        try {
            AgentIdentityRepository agent =
                    new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), agentSocket));
            Vector<Identity> ids = agent.getIdentities();
            return ids == null ? List.of() : new ArrayList<>(ids);
        } catch (AgentProxyException | RuntimeException e) {
            Log.debug("ssh: ssh-agent at %s not usable: %s", agentSocket, e);
            return List.of();
        }
    }

    private List<Identity> ordered() {
        List<Identity> agent = agentIdentities();
        List<Identity> out = new ArrayList<>();
        if (explicit || identitiesOnly) {
            for (Identity f : files) {
                Identity same = sameKey(agent, f);
                out.add(same != null ? same : f);
            }
            if (!identitiesOnly) {
                for (Identity a : agent) if (!out.contains(a)) out.add(a);
            }
        } else {
            out.addAll(agent);
            for (Identity f : files) if (sameKey(agent, f) == null) out.add(f);
        }
        return out;
    }

    private static Identity sameKey(List<Identity> agent, Identity file) {
        byte[] blob = file.getPublicKeyBlob();
        if (blob == null) return null;
        for (Identity a : agent) {
            if (Arrays.equals(blob, a.getPublicKeyBlob())) return a;
        }
        return null;
    }

    private final class Combined implements IdentityRepository {
        @Override
        public String getName() {
            return "hpc-kernel keys";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            return new Vector<>(ordered());
        }

        @Override
        public boolean add(byte[] identity) {
            return false;
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {}
    }
}
