package org.hpckernel.hpc.transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One SSH server to log in to (the login node or a jump host), with every setting resolved from
 * clusters.json, ~/.ssh/config and the defaults.
 *
 * @param alias the name as the user wrote it (a ~/.ssh/config Host alias or a host name)
 * @param host the host name or address to connect to (HostName)
 * @param identityFiles private key files to offer, in order
 * @param identitiesOnly offer only {@code identityFiles} (and agent keys that are the same keys)
 * @param identitiesExplicit the key files were named (clusters.json or IdentityFile), not defaults
 * @param knownHostsFiles the user's known_hosts files; unknown keys are added to the first one
 * @param globalKnownHostsFiles read-only known_hosts files (/etc/ssh/ssh_known_hosts)
 * @param hostKeyAlias the name to look up in known_hosts instead of [host]:port, or null
 * @param proxyJump the ProxyJump value (already checked), or null for a direct connection
 * @param batchMode never ask the user anything (ssh_config BatchMode yes)
 * @param jschConfig JSch session settings taken from ssh_config (algorithms, auth methods)
 */
public record SshEndpoint(
        String alias,
        String host,
        int port,
        String user,
        List<Path> identityFiles,
        boolean identitiesOnly,
        boolean identitiesExplicit,
        List<Path> knownHostsFiles,
        List<Path> globalKnownHostsFiles,
        String hostKeyAlias,
        String proxyJump,
        boolean acceptNewHostKeys,
        boolean batchMode,
        int connectTimeoutMillis,
        int serverAliveIntervalMillis,
        int serverAliveCountMax,
        Map<String, String> jschConfig) {

    public SshEndpoint {
        identityFiles = List.copyOf(identityFiles);
        knownHostsFiles = List.copyOf(knownHostsFiles);
        globalKnownHostsFiles = List.copyOf(globalKnownHostsFiles);
        jschConfig = Map.copyOf(jschConfig);
    }

    /** user@host:port, as in messages and in {@code describe()}. */
    public String destination() {
        return user + "@" + hostPort();
    }

    /** host:port, with brackets around an IPv6 address. */
    public String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The name under which the host key is looked up and stored: {@code [host]:port}, or the host for port 22. */
    public String knownHostsName() {
        if (hostKeyAlias != null) return hostKeyAlias;
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The known_hosts file that new keys go to (and that error messages name). */
    public Path primaryKnownHostsFile() {
        return knownHostsFiles.get(0);
    }
}
