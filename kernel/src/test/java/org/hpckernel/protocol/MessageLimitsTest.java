package org.hpckernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageLimitsTest {
    @Test
    void defaultsWhenUnset() {
        MessageLimits l = MessageLimits.fromEnvironment(Map.of());
        assertEquals(32L << 20, l.maxFrameBytes());
        assertEquals(1000, l.iopubQueue());
    }

    @Test
    void readsSizesWithUnits() {
        assertEquals(64L << 20, MessageLimits.fromEnvironment(Map.of(MessageLimits.MAX_BYTES_ENV, "64M")).maxMessageBytes());
        assertEquals(2L << 30, MessageLimits.fromEnvironment(Map.of(MessageLimits.MAX_BYTES_ENV, "2GiB")).maxFrameBytes());
        assertEquals(4096, MessageLimits.fromEnvironment(Map.of(MessageLimits.MAX_BYTES_ENV, "4096")).maxFrameBytes());
        assertEquals(5, MessageLimits.fromEnvironment(Map.of(MessageLimits.IOPUB_QUEUE_ENV, "5")).iopubQueue());
    }

    @Test
    void badValuesNameTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessageLimits.fromEnvironment(Map.of(MessageLimits.MAX_BYTES_ENV, "lots")));
        assertTrue(e.getMessage().startsWith(MessageLimits.MAX_BYTES_ENV + "=lots"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MessageLimits.fromEnvironment(Map.of(MessageLimits.IOPUB_QUEUE_ENV, "0")));
        assertTrue(e.getMessage().startsWith(MessageLimits.IOPUB_QUEUE_ENV), e.getMessage());
    }
}
