package org.hpckernel.hpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "1s, PT1S", "2m, PT2M", "1h, PT1H", "90s, PT1M30S", "100 ms, PT0.1S"})
    void durations(String text, String iso) {
        assertEquals(Duration.parse(iso), Quantities.duration(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "1", "fast", "1.5s", "-1s", "1d", "1S", ""})
    void badDurations(String text) {
        assertNull(Quantities.duration(text));
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "1MB, 1048576", "1mb, 1048576", "512KB, 524288", "512K, 524288", "1MiB, 1048576",
        "2GB, 2147483648", "100B, 100"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Quantities.bytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0MB", "1TB", "lots", "1.5MB", "-1", "999999999999999GB"})
    void badSizes(String text) {
        assertNull(Quantities.bytes(text));
    }
}
