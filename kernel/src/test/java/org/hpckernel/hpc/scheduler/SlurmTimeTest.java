package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmTimeTest {

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({
        "0, 00:01:00",          // at least one minute
        "1, 00:01:00",
        "5, 00:01:00",          // Slurm would store --time=0:00:05 as 00:01:00 anyway
        "59, 00:01:00",
        "60, 00:01:00",
        "61, 00:02:00",         // rounded up, never down
        "90, 00:02:00",
        "600, 00:10:00",
        "3599, 01:00:00",
        "3600, 01:00:00",
        "7200, 02:00:00",
        "86340, 23:59:00",
        "86399, 1-00:00:00",
        "86400, 1-00:00:00",
        "93600, 1-02:00:00",    // 1 day 2 h
        "93601, 1-02:01:00",
        "1209600, 14-00:00:00",
    })
    void formatsLimitsInWholeMinutesRoundedUp(long seconds, String expected) {
        assertEquals(expected, SlurmTime.formatLimit(Duration.ofSeconds(seconds)));
    }

    @Test
    void aFractionOfASecondStillCountsAsAMinute() {
        assertEquals("00:02:00", SlurmTime.formatLimit(Duration.ofSeconds(60).plusNanos(1)));
        assertEquals("1-02:00:00", SlurmTime.formatLimit(Duration.ofDays(1).plusHours(2)));
    }

    @Test
    void negativeLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SlurmTime.formatLimit(Duration.ofSeconds(-1)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "00:00:03, 3000",               // Elapsed
        "01:02:03, 3723000",
        "1-02:03:04, 93784000",
        "12-00:00:00, 1036800000",
        "00:00.001, 1",                 // TotalCPU: MM:SS.mmm
        "00:02.033, 2033",
        "01:30.5, 90500",
        "59, 59000",
        "1-02, 93600000",               // Slurm input forms: D-H, D-H:M
        "1-02:30, 95400000",
    })
    void parsesSacctDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), SlurmTime.parseDuration(text));
    }

    @Test
    void unreadableDurationsAreNull() {
        assertNull(SlurmTime.parseDuration(""));
        assertNull(SlurmTime.parseDuration(null));
        assertNull(SlurmTime.parseDuration("UNLIMITED"));
        assertNull(SlurmTime.parseDuration("INVALID"));
        assertNull(SlurmTime.parseDuration("Partition_Limit"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0, 0",
        "512, 512",
        "221236K, 226545664",
        "4732K, 4845568",
        "4.50M, 4718592",
        "12M, 12582912",
        "2G, 2147483648",
        "1.5G, 1610612736",
        "1T, 1099511627776",
    })
    void parsesSacctMemory(String text, long bytes) {
        assertEquals(bytes, SlurmTime.parseBytes(text));
    }

    @Test
    void unreadableMemoryIsNull() {
        assertNull(SlurmTime.parseBytes(""));
        assertNull(SlurmTime.parseBytes(null));
        assertNull(SlurmTime.parseBytes("16?"));
    }
}
