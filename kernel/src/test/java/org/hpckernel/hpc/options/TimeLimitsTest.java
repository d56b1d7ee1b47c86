package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeLimitsTest {
    @ParameterizedTest
    @CsvSource({
        "10, PT10M", "90, PT1H30M", "10:30, PT10M30S", "01:00:00, PT1H", "100:00:00, PT100H", "2-12, PT60H",
        "2-12:30, PT60H30M", "2-12:30:15, PT60H30M15S", "0:01, PT1S", "0-0:0:1, PT1S", "0-23:59:59, PT23H59M59S"})
    void parsesSbatchForms(String text, String iso) throws BadValueException {
        assertEquals(Duration.parse(iso), TimeLimits.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00:00", "0:0:0", "0-0", "0-00:00:00"})
    void zeroIsRejected(String text) {
        BadValueException e = assertThrows(BadValueException.class, () -> TimeLimits.parse(text));
        assertTrue(e.getMessage().startsWith("\"" + text + "\" is zero; expected a positive time limit (MM, MM:SS"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9999999999999999:00:00", "3000000000", "999999999-00"})
    void overflowIsRejected(String text) {
        BadValueException e = assertThrows(BadValueException.class, () -> TimeLimits.parse(text));
        assertEquals("\"" + text + "\" is too long a time limit; at most " + TimeLimits.MAX.toDays() + " days", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"10:75, 75 seconds", "1:60:00, 60 minutes", "1-24, 24 hours", "1-1:99, 99 minutes", "1-1:1:60, 60 seconds"})
    void clockFieldsMustBeInRange(String text, String what) {
        BadValueException e = assertThrows(BadValueException.class, () -> TimeLimits.parse(text));
        assertTrue(e.getMessage().startsWith("\"" + text + "\" has " + what), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1:2:3:4", "-1", "1h", "", " 10"})
    void malformedNamesTheForms(String text) {
        BadValueException e = assertThrows(BadValueException.class, () -> TimeLimits.parse(text));
        assertEquals(Quoting.quote(text) + " is not a time limit; expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
                e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void largestLimitFitsAnIntOfMinutes() throws BadValueException {
        assertEquals(Integer.MAX_VALUE, TimeLimits.parse(Integer.toString(Integer.MAX_VALUE)).toMinutes());
    }
}
