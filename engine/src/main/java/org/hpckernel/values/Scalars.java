package org.hpckernel.values;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Single values read from JSON text exactly: a number literal into the declared numeric type
 * (refusing fractions for integers, and anything out of range, rather than rounding or
 * wrapping), and strings into chars, enum constants (by name) and {@link TextValues}.
 */
final class Scalars {
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

    static Object fromNumber(Class<?> type, String literal, String path, int maxChars) throws MalformedValueException {
        if (literal.length() > maxChars) {
            throw new MalformedValueException("a number of " + literal.length() + " characters, above the limit of "
                    + maxChars + " (at " + path + ")");
        }
        Class<?> boxed = Types.boxed(type);
        try {
            if (boxed == Double.class) {
                return Double.parseDouble(literal);
            }
            if (boxed == Float.class) {
                float f = Float.parseFloat(literal);
                if (Float.isInfinite(f)) {
                    throw new MalformedValueException(literal + " is out of range for float (at " + path + ")");
                }
                return f;
            }
            if (type == BigDecimal.class) {
                return new BigDecimal(literal);
            }
            if (type == Number.class) {
                return naturalNumber(literal, path, maxChars);
            }
            BigDecimal decimal = new BigDecimal(literal);
            int integerDigits = decimal.precision() - decimal.scale();
            if (decimal.signum() != 0 && integerDigits <= 0) {
                throw new MalformedValueException("expected a whole number for " + type.getSimpleName() + ", found "
                        + literal + " (at " + path + ")");
            }
            if (type == BigInteger.class) {
                if (integerDigits > maxChars) {
                    throw new MalformedValueException("a number of " + integerDigits + " digits, above the limit of "
                            + maxChars + " (at " + path + ")");
                }
                return decimal.toBigIntegerExact();
            }
            if (integerDigits > 19) {
                throw new MalformedValueException(literal + " is out of range for " + type.getName() + " (at " + path + ")");
            }
            long value = decimal.longValueExact();
            long min = boxed == Integer.class ? Integer.MIN_VALUE : boxed == Short.class ? Short.MIN_VALUE
                    : boxed == Byte.class ? Byte.MIN_VALUE : Long.MIN_VALUE;
            long max = boxed == Integer.class ? Integer.MAX_VALUE : boxed == Short.class ? Short.MAX_VALUE
                    : boxed == Byte.class ? Byte.MAX_VALUE : Long.MAX_VALUE;
            if (value < min || value > max) {
                throw new MalformedValueException(literal + " is out of range for " + type.getName() + " (at " + path + ")");
            }
            return boxed == Integer.class ? (Object) (int) value : boxed == Short.class ? (Object) (short) value
                    : boxed == Byte.class ? (Object) (byte) value : (Object) value;
        } catch (ArithmeticException e) {
            throw new MalformedValueException("expected a whole number in the range of " + type.getName() + ", found "
                    + literal + " (at " + path + ")");
        } catch (NumberFormatException e) {
            throw new MalformedValueException("not a number: " + literal + " (at " + path + ")");
        }
    }

    /** A number where the type says nothing more (Object, Number): Integer, Long, BigInteger or Double. */
    static Object naturalNumber(String literal, String path, int maxChars) throws MalformedValueException {
        if (literal.length() > maxChars) {
            throw new MalformedValueException("a number of " + literal.length() + " characters, above the limit of "
                    + maxChars + " (at " + path + ")");
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
            throw new MalformedValueException("not a number: " + literal + " (at " + path + ")");
        }
    }

    /** A value written as a JSON string: char, enum constant, NaN/infinity, big number, or {@link TextValues}. */
    static Object fromText(Class<?> type, String text, String path) throws MalformedValueException {
        Class<?> boxed = Types.boxed(type);
        if (boxed == Character.class) {
            if (text.length() != 1) {
                throw new MalformedValueException("expected one character for char, found a string of " + text.length()
                        + " (at " + path + ")");
            }
            return text.charAt(0);
        }
        if (boxed == Double.class || boxed == Float.class) {
            double d = switch (text) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new MalformedValueException("expected a number for " + type.getName()
                        + " (or \"NaN\", \"Infinity\", \"-Infinity\"), found the string \"" + shorten(text) + "\" (at " + path + ")");
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
            throw new MalformedValueException("\"" + shorten(text) + "\" is not a constant of " + Types.describe(type)
                    + " (" + names + ") (at " + path + ")");
        }
        if (TextValues.isTextType(type)) {
            try {
                return TextValues.parse(type, text);
            } catch (RuntimeException e) {
                throw new MalformedValueException("\"" + shorten(text) + "\" is not a " + type.getSimpleName() + ": "
                        + e.getMessage() + " (at " + path + ")");
            }
        }
        throw new MalformedValueException("a " + Types.describe(type) + " cannot be read from a string (at " + path + ")");
    }

    /** A key of a map written as a JSON object, read as the map's key type. */
    static Object key(Class<?> type, String name, String path, int maxChars) throws MalformedValueException {
        if (isNumeric(type)) {
            if ((boxed(type) == Double.class || boxed(type) == Float.class)
                    && (name.equals("NaN") || name.endsWith("Infinity"))) {
                return fromText(type, name, path);
            }
            return fromNumber(type, name, path, maxChars);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (name.equals("true") || name.equals("false")) {
                return Boolean.parseBoolean(name);
            }
            throw new MalformedValueException("expected true or false as a key, found \"" + shorten(name) + "\" (at " + path + ")");
        }
        if (type == char.class || type == Character.class || type.isEnum() || TextValues.isTextType(type)) {
            return fromText(type, name, path);
        }
        throw new MalformedValueException("keys of type " + Types.describe(type) + " must be written as a list of"
                + " [key, value] pairs, not as a JSON object (at " + path + ")");
    }

    private static Class<?> boxed(Class<?> type) {
        return Types.boxed(type);
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
