package org.hpckernel.hpc.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.Quoting;

/** A JSON value from clusters.json that remembers its line, so an error can point at it. */
sealed interface JsonNode {
    int line();

    /** How the value reads after "got" in an error message. */
    String shown();

    /** Members in file order (the first cluster is the default when none is named). */
    record Obj(Map<String, Member> members, int line) implements JsonNode {
        @Override
        public String shown() {
            return "an object";
        }
    }

    record Member(String key, int line, JsonNode value) {}

    record Arr(List<JsonNode> items, int line) implements JsonNode {
        @Override
        public String shown() {
            return "a list";
        }
    }

    record Str(String value, int line) implements JsonNode {
        @Override
        public String shown() {
            return Quoting.quote(value);
        }
    }

    /** The literal as written; read as a number only where a number is wanted. */
    record Num(String literal, int line) implements JsonNode {
        @Override
        public String shown() {
            return literal;
        }

        /** The value as a whole number, or null when it has a fraction. */
        Long wholeValue() {
            try {
                return new BigDecimal(literal).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) { // a fraction, or an exponent beyond BigDecimal
                return null;
            }
        }
    }

    record Bool(boolean value, int line) implements JsonNode {
        @Override
        public String shown() {
            return Boolean.toString(value);
        }
    }

    record Null(int line) implements JsonNode {
        @Override
        public String shown() {
            return "null";
        }
    }
}
