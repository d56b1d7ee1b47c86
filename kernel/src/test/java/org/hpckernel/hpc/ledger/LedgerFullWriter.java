package org.hpckernel.hpc.ledger;

import java.nio.file.Path;

/**
 * Child process for {@link JobLedgerTest}, started with a file-size limit: records a small entry
 * (fits), then rewrites it and adds a large one (exceed the limit), printing how each write ended.
 */
public final class LedgerFullWriter {
    private LedgerFullWriter() {}

    public static void main(String[] args) throws Exception {
        JobLedger ledger = JobLedger.open(Path.of(args[0]));
        ledger.record(JobLedgerTest.entry("c", "1", "small", "2026-01-01T00:00:00Z"));
        System.out.println("small ok");
        for (String id : new String[] {"1", "2"}) {
            try {
                ledger.record(JobLedgerTest.entry("c", id, "x".repeat(100_000), "2026-01-01T00:00:00Z"));
                System.out.println("large " + id + " ok");
            } catch (java.io.IOException e) {
                System.out.println("large " + id + " failed: " + e.getMessage());
            }
        }
    }
}
