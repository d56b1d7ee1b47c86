package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("scheduler", "workdir", "java", "setup", "defaults", "host", "port");

    @ParameterizedTest
    @CsvSource({"--tiem, --time", "--partiton, --partition", "--nodse, --nodes", "--mme, --mem", "--TIME, --time",
        "--job, --job-name", "--cpus, --cpus-per-task", "--dryrun, --dry-run", "--frobnicate, ''", "--x, ''", "--foo, --for", "--zzzzz, ''"})
    void optionNames(String typed, String expected) {
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected),
                Suggestions.closest(typed, HpcOption.longNames()));
    }

    @ParameterizedTest
    @CsvSource({"workdri, workdir", "shceduler, scheduler", "jav, java", "hots, host", "defualts, defaults", "zzz, ''"})
    void configKeys(String typed, String expected) {
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected), Suggestions.closest(typed, KEYS));
    }
}
