package org.hpckernel.hpc.ledger;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process for {@link SubmitClaimTest}: takes the submit claim of one cell in the ledger
 * {@code args[0]} with job key {@code args[1]}, prints "held", and releases it when a line arrives
 * on stdin (or is killed).
 */
public final class ClaimHolder {
    private ClaimHolder() {}

    public static void main(String[] args) throws Exception {
        JobLedger ledger = JobLedger.open(Path.of(args[0]));
        try (SubmitClaim claim = ledger.claim("c", SubmitClaimTest.HASH, args[1], Duration.ofSeconds(60), () -> {})) {
            System.out.println("held");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("released");
        System.out.flush();
    }
}
