package org.hpckernel.values;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Single values read from JSON text exactly: a number literal into the declared numeric type
 * (refusing fractions for integers, and anything out of range, rather than rounding or
 * wrapping), and strings into chars, enum constants (by name) and {@link TextValues}.
 */
final class Scalars {
    /** A value that is not what its type needs; the decoder adds where it is. Not a stack-trace owner. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private Scalars() {}

    static boolean isNumeric(Class<?> type) {
        Class<?> boxed = Types.boxed(type);
        return boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class
                || boxed == Double.class || boxed == Float.class || type == BigInteger.class
                || type == BigDecimal.class || type == Number.class;
    }

    /** Types also read from a JSON string: NaN and infinities, and big numbers written as text. */
    static boolean acceptsString(Class<?> type) {
        Class<?> boxed = Types.boxed(type);
        return boxed == Double.class || boxed == Float.class || type == BigInteger.class || type == BigDecimal.class;
    }

    static Object fromNumber(Class<?> type, String literal, int maxChars) throws Invalid {
        if (literal.length() > maxChars) {
            throw new Invalid("a number of " + literal.length() + " characters, above the limit of "
                    + maxChars);
        }
        Class<?> boxed = Types.boxed(type);
        try {
            if (boxed == Double.class) {
                return Double.parseDouble(literal);
            }
            if (boxed == Float.class) {
                float f = Float.parseFloat(literal);
                if (Float.isInfinite(f)) {
                    throw new Invalid(literal + " is out of range for float");
                }
                return f;
            }
            if (type == BigDecimal.class) {
                return new BigDecimal(literal);
            }
            if (type == Number.class) {
                return naturalNumber(literal, maxChars);
            }
            if (type != BigInteger.class && isPlainInteger(literal)) {
                return narrow(type, boxed, Long.parseLong(literal), literal);
            }
            BigDecimal decimal = new BigDecimal(literal);
            int integerDigits = decimal.precision() - decimal.scale();
            if (decimal.signum() != 0 && integerDigits <= 0) {
                throw new Invalid("expected a whole number for " + type.getSimpleName() + ", found "
                        + literal);
            }
            if (type == BigInteger.class) {
                if (integerDigits > maxChars) {
                    throw new Invalid("a number of " + integerDigits + " digits, above the limit of "
                            + maxChars);
                }
                return decimal.toBigIntegerExact();
            }
            if (integerDigits > 19) {
                throw new Invalid(literal + " is out of range for " + type.getName());
            }
            return narrow(type, boxed, decimal.longValueExact(), literal);
        } catch (ArithmeticException e) {
            throw new Invalid("expected a whole number in the range of " + type.getName() + ", found "
                    + literal);
        } catch (NumberFormatException e) {
            throw new Invalid("not a number: " + literal);
        }
    }

    /** Up to 18 digits, optionally negative: certainly a long, parsed without BigDecimal. */
    private static boolean isPlainInteger(String literal) {
        int start = literal.startsWith("-") ? 1 : 0;
        int length = literal.length() - start;
        if (length < 1 || length > 18) {
            return false;
        }
        for (int i = start; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Object narrow(Class<?> type, Class<?> boxed, long value, String literal) throws Invalid {
        long min = boxed == Integer.class ? Integer.MIN_VALUE : boxed == Short.class ? Short.MIN_VALUE
                : boxed == Byte.class ? Byte.MIN_VALUE : Long.MIN_VALUE;
        long max = boxed == Integer.class ? Integer.MAX_VALUE : boxed == Short.class ? Short.MAX_VALUE
                : boxed == Byte.class ? Byte.MAX_VALUE : Long.MAX_VALUE;
        if (value < min || value > max) {
            throw new Invalid(literal + " is out of range for " + type.getName());
        }
        return boxed == Integer.class ? (Object) (int) value : boxed == Short.class ? (Object) (short) value
                : boxed == Byte.class ? (Object) (byte) value : (Object) value;
    }

    /** A number where the type says nothing more (Object, Number): Integer, Long, BigInteger or Double. */
    static Object naturalNumber(String literal, int maxChars) throws Invalid {
        if (literal.length() > maxChars) {
            throw new Invalid("a number of " + literal.length() + " characters, above the limit of "
                    + maxChars);
        }
        try {
            if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
                BigInteger integer = new BigInteger(literal);
                if (integer.bitLength() < 32) {
                    return integer.intValue();
                }
                return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
            }
            return Double.parseDouble(literal);
        } catch (NumberFormatException e) {
            throw new Invalid("not a number: " + literal);
        }
    }

    /** A value written as a JSON string: char, enum constant, NaN/infinity, big number, or {@link TextValues}. */
    static Object fromText(Class<?> type, String text) throws Invalid {
        Class<?> boxed = Types.boxed(type);
        if (boxed == Character.class) {
            if (text.length() != 1) {
                throw new Invalid("expected one character for char, found a string of " + text.length());
            }
            return text.charAt(0);
        }
        if (boxed == Double.class || boxed == Float.class) {
            double d = switch (text) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new Invalid("expected a number for " + type.getName()
                        + " (or \"NaN\", \"Infinity\", \"-Infinity\"), found the string \"" + shorten(text) + "\"");
            };
            return boxed == Float.class ? (Object) (float) d : (Object) d;
        }
        if (type.isEnum()) {
            StringBuilder names = new StringBuilder();
            for (Object constant : type.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                if (name.equals(text)) {
                    return constant;
                }
                names.append(names.length() == 0 ? "" : ", ").append(name);
            }
            throw new Invalid("\"" + shorten(text) + "\" is not a constant of " + Types.describe(type)
                    + " (" + names + ")");
        }
        if (TextValues.isTextType(type)) {
            try {
                return TextValues.parse(type, text);
            } catch (RuntimeException e) {
                throw new Invalid("\"" + shorten(text) + "\" is not a " + type.getSimpleName() + ": "
                        + e.getMessage());
            }
        }
        throw new Invalid("a " + Types.describe(type) + " cannot be read from a string");
    }

    /** A key of a map written as a JSON object, read as the map's key type. */
    static Object key(Class<?> type, String name, int maxChars) throws Invalid {
        if (isNumeric(type)) {
            if ((boxed(type) == Double.class || boxed(type) == Float.class)
                    && (name.equals("NaN") || name.endsWith("Infinity"))) {
                return fromText(type, name);
            }
            return fromNumber(type, name, maxChars);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (name.equals("true") || name.equals("false")) {
                return Boolean.parseBoolean(name);
            }
            throw new Invalid("expected true or false as a key, found \"" + shorten(name) + "\"");
        }
        if (type == char.class || type == Character.class || type.isEnum() || TextValues.isTextType(type)) {
            return fromText(type, name);
        }
        throw new Invalid("keys of type " + Types.describe(type) + " must be written as a list of"
                + " [key, value] pairs, not as a JSON object");
    }

    private static Class<?> boxed(Class<?> type) {
        return Types.boxed(type);
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
