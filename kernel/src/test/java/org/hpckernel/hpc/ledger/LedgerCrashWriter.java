package org.hpckernel.hpc.ledger;

import java.nio.file.Path;
import java.time.Instant;

/** Child process for {@link JobLedgerTest}: records entries until killed, printing each id once it is durable. */
public final class LedgerCrashWriter {
    private LedgerCrashWriter() {}

    public static void main(String[] args) throws Exception {
        JobLedger ledger = JobLedger.open(Path.of(args[0]));
        String padding = "x".repeat(20_000);
        for (int i = 0; i < 1_000_000; i++) {
            ledger.record(JobLedgerTest.entry("c", Integer.toString(i), padding, Instant.now().toString()));
            System.out.println(i);
            System.out.flush();
        }
    }

}
