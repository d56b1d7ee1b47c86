package org.hpckernel.values;

import java.io.ObjectInputFilter;
import java.util.function.Predicate;

/**
 * Decides, before anything is built, whether a serialized stream may go on: every class it names
 * must be on the {@link SerialAllowList}, and its depth, references, array lengths and bytes must
 * stay within the limits. Never UNDECIDED (which would fall back to a JVM-wide default): what is
 * not allowed is rejected, and the reason is kept for the error.
 */
final class SerialFilter implements ObjectInputFilter {
    private final Predicate<Class<?>> own;
    private final SerialValues.Limits limits;
    private final long streamLength;
    private String rejection;

    /** @param streamLength the bytes the stream has in all: an array can claim no more elements than they hold */
    SerialFilter(Predicate<Class<?>> own, SerialValues.Limits limits, long streamLength) {
        this.own = own;
        this.limits = limits;
        this.streamLength = streamLength;
    }

    /** Why the stream was rejected, or null. */
    String rejection() {
        return rejection;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > limits.maxDepth()) {
            return reject("it is nested deeper than " + limits.maxDepth() + " levels");
        }
        if (info.references() > limits.maxReferences()) {
            return reject("it holds more than " + limits.maxReferences() + " objects and references");
        }
        if (info.streamBytes() > limits.maxBytes()) {
            return reject("it is longer than " + limits.maxBytes() + " bytes");
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.ALLOWED;
        }
        if (!SerialAllowList.allows(type, own)) {
            return reject("it holds a " + Types.fullName(type) + ", which is not allowed to travel in binary form (allowed: "
                    + SerialAllowList.DESCRIPTION + ")");
        }
        if (info.arrayLength() >= 0 && type.isArray()) {
            // Checked before the array is allocated: a few bytes must not make the reader allocate gigabytes.
            long room = Math.max(0, streamLength - info.streamBytes());
            if (info.arrayLength() > room / minimumBytes(type.getComponentType())) {
                return reject("it claims an array of " + info.arrayLength() + " elements, more than the " + room
                        + " bytes left in it can hold (a corrupt or hostile stream)");
            }
        }
        return Status.ALLOWED;
    }

    /** The fewest bytes one element takes in a stream. */
    private static long minimumBytes(Class<?> component) {
        if (component == long.class || component == double.class) {
            return 8;
        }
        if (component == int.class || component == float.class) {
            return 4;
        }
        if (component == short.class || component == char.class) {
            return 2;
        }
        return 1;
    }

    private Status reject(String why) {
        if (rejection == null) {
            rejection = why;
        }
        return Status.REJECTED;
    }
}
