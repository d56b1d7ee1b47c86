package org.hpckernel.hpc.ledger;

import java.nio.file.Path;

/**
 * Child process for {@link JobLedgerTest}: rewrites a few entries over and over until killed,
 * printing "ID VERSION" once each version is durable.
 */
public final class LedgerCrashWriter {
    static final int ENTRIES = 3;

    private LedgerCrashWriter() {}

    public static void main(String[] args) throws Exception {
        JobLedger ledger = JobLedger.open(Path.of(args[0]));
        String padding = "x".repeat(200_000);
        for (int version = 0; version < 1_000_000; version++) {
            String id = Integer.toString(version % ENTRIES);
            ledger.record(JobLedgerTest.entry("c", id, version + " " + padding, "2026-01-01T00:00:00Z"));
            System.out.println(id + " " + version);
            System.out.flush();
        }
    }
}
