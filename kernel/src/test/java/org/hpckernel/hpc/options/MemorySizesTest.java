package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemorySizesTest {
    @ParameterizedTest
    @CsvSource({
        "1000, 1000", "512M, 512", "512m, 512", "512MB, 512", "4G, 4096", "4gb, 4096", "2T, 2097152",
        "1K, 1", "1024K, 1", "1025K, 2", "1536k, 2", "9999999999T, 10485759998951424"})
    void convertsToMegabytesLikeSbatch(String text, long megabytes) throws BadValueException {
        assertEquals(megabytes, MemorySizes.megabytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"512B", "1b"})
    void bytesWithoutUnitAreRejected(String text) {
        BadValueException e = assertThrows(BadValueException.class, () -> MemorySizes.megabytes(text));
        assertEquals("\"" + text + "\" has no unit before B; expected a number with an optional unit K, M, G or T (e.g. 4G)",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "4X", "0", "0G", "-1G", "4 G", "4.5G", "4GiB", ""})
    void malformedNamesTheForm(String text) {
        BadValueException e = assertThrows(BadValueException.class, () -> MemorySizes.megabytes(text));
        assertEquals(Quoting.quote(text) + " is not a memory size; expected a number with an optional unit K, M, G or T (e.g. 4G)",
                e.getMessage());
    }
}
