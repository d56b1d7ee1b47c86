package org.hpckernel.hpc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The notebook's variables as a job sees them: read to ship them, bound when a job returns them.
 * The notebook layer implements it over its session; tests use a map.
 */
public interface NotebookValues {
    /** Something the session could not do; the message names the variable and why. */
    final class Failure extends Exception {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }

        public Failure(String message) {
            super(message);
        }
    }

    Set<String> names();

    /** The variable's declared type, notebook types by simple name ({@code List<Point>}), if it exists. */
    Optional<String> typeOf(String name);

    Object valueOf(String name) throws Failure;

    /**
     * For each index whose JSON value does not decode as its type (as the job's node will try),
     * why; empty when all do. A session that cannot tell says nothing, and the node decides.
     */
    default Map<Integer, String> undecodable(List<String> types, List<String> jsons) {
        return Map.of();
    }

    /** As {@link #undecodable(List, List)}, a value in binary form up to {@code maxBinaryBytes} long (the input cap). */
    default Map<Integer, String> undecodable(List<String> types, List<String> jsons, long maxBinaryBytes) {
        return undecodable(types, jsons);
    }

    /**
     * The session's classes, for values in binary form: those its class loader defines (its own
     * and its jars') are the notebook's. A session without one of its own (a test's map) names
     * the classes of the loader that loaded this interface.
     */
    default org.hpckernel.values.SerialValues.Classes classes() {
        return org.hpckernel.values.SerialValues.Classes.definedBy(NotebookValues.class.getClassLoader(), name -> null);
    }

    /**
     * Declares (or replaces) {@code name} in the notebook as {@code type}, decoded from {@code json}
     * (or from a value in binary form, {@link org.hpckernel.values.SerialValues}).
     */
    void bind(String name, String type, String json) throws Failure;

    /** As {@link #bind(String, String, String)}, a value in binary form up to {@code maxBinaryBytes} long (the output cap). */
    default void bind(String name, String type, String json, long maxBinaryBytes) throws Failure {
        bind(name, type, json);
    }
}
