package org.hpckernel.hpc.transport;

/** How to reach a remote login node; null fields are taken from ~/.ssh/config. */
public record SshSettings(String host, Integer port, String user, String identityFile, String knownHostsFile,
        String proxyJump, boolean acceptNewHostKeys) {}
