package org.hpckernel.values;

import java.lang.reflect.Member;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Lock;
import java.util.stream.BaseStream;

/**
 * Which values may travel, and for those that may not, why and what to do instead. Values that
 * only mean something inside this JVM (threads, open streams and connections, code) are refused
 * by kind, whatever class implements them; other JDK classes outside the portable set are refused
 * as such; classes of the notebook (and of its jars) travel field by field.
 */
final class PortableSet {
    static final String PORTABLE = "primitives and their boxes, String, BigInteger, BigDecimal, enums,"
            + " java.time values, UUID, URI, Path, Optional, arrays, List/Set/Queue/Map of those,"
            + " and records and classes declared in the notebook";

    /** Why a value is refused, and what to do instead. */
    record Refusal(String why, String instead) {}

    private PortableSet() {}

    /** True for classes of the JDK itself (boot and platform loaders), not the notebook's or a jar's. */
    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private static final Refusal NONE = new Refusal(null, null);
    private static final ClassValue<Refusal> BY_KIND = new ClassValue<>() {
        @Override
        protected Refusal computeValue(Class<?> type) {
            Refusal refusal = compute(type);
            return refusal == null ? NONE : refusal;
        }
    };

    /** The refusal for a value that is never portable, by what it is; null if its kind is not refused. */
    static Refusal byKind(Object value) {
        Refusal refusal = BY_KIND.get(value.getClass());
        return refusal == NONE ? null : refusal;
    }

    private static Refusal compute(Class<?> type) {
        if (Thread.class.isAssignableFrom(type) || ThreadGroup.class.isAssignableFrom(type)) {
            return new Refusal("a thread, which exists only in this JVM", "Start threads inside the cell.");
        }
        if (Executor.class.isAssignableFrom(type)) {
            return new Refusal("an executor, whose threads exist only in this JVM", "Create the executor inside the cell.");
        }
        if (implementsNamed(type, "java.sql.Connection") || implementsNamed(type, "java.sql.Statement")
                || implementsNamed(type, "java.sql.ResultSet") || implementsNamed(type, "javax.sql.DataSource")) {
            return new Refusal("a database connection (or statement, result set, data source), open only in this JVM",
                    "Pass the JDBC URL (a String) and connect inside the cell.");
        }
        if (isA(type, "java.net.Socket") || isA(type, "java.net.ServerSocket") || isA(type, "java.net.DatagramSocket")
                || implementsNamed(type, "java.nio.channels.NetworkChannel")) {
            return new Refusal("a network socket, open only in this JVM", "Pass the host and port and connect inside the cell.");
        }
        if (BaseStream.class.isAssignableFrom(type)) {
            return new Refusal("a java.util.stream stream, which can be consumed only once",
                    "Collect it into a List first (stream.toList()), or build the stream inside the cell.");
        }
        if (java.io.InputStream.class.isAssignableFrom(type) || java.io.OutputStream.class.isAssignableFrom(type)
                || java.io.Reader.class.isAssignableFrom(type) || java.io.Writer.class.isAssignableFrom(type)
                || implementsNamed(type, "java.nio.channels.Channel")) {
            return new Refusal("an open stream, which exists only in this JVM",
                    "Compute it inside the cell, or pass a path (a String or Path) and open the file inside the cell.");
        }
        if (AutoCloseable.class.isAssignableFrom(type)) {
            return new Refusal("an open resource (it has a close() method), which exists only in this JVM",
                    "Compute it inside the cell, or pass a path or URL and open it inside the cell.");
        }
        if (Iterator.class.isAssignableFrom(type) || Spliterator.class.isAssignableFrom(type)) {
            return new Refusal("an iterator, a position in a collection of this JVM", "Collect the elements into a List first.");
        }
        if (ClassLoader.class.isAssignableFrom(type) || Class.class.isAssignableFrom(type)
                || Member.class.isAssignableFrom(type)) {
            return new Refusal("a class, class loader or reflective handle of this JVM",
                    "Pass the class name (a String) instead.");
        }
        if (Future.class.isAssignableFrom(type) || Lock.class.isAssignableFrom(type)
                || Process.class.isAssignableFrom(type) || ProcessHandle.class.isAssignableFrom(type)
                || java.lang.ref.Reference.class.isAssignableFrom(type) || Runtime.class.isAssignableFrom(type)) {
            return new Refusal("tied to this JVM (a task, lock, process or reference)", "Compute it inside the cell.");
        }
        if (type.isHidden() || type.isSynthetic() || type.getName().contains("$$Lambda")) {
            return new Refusal("a lambda or method reference: code does not travel as a value",
                    "Declare a method in the notebook and call it inside the cell.");
        }
        if (type.isAnonymousClass()) {
            return new Refusal("an anonymous class, whose code and captured variables cannot be shipped",
                    "Declare a record or a class in the notebook instead.");
        }
        return null;
    }

    /** The refusal of a JDK class that is not in the portable set. */
    static Refusal notPortable() {
        return new Refusal("a JDK type outside the portable set (" + PORTABLE + ")",
                "Convert it to one of those, or compute it inside the cell.");
    }

    private static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** By name, so that the engine does not need the java.sql module to recognise a connection. */
    private static boolean implementsNamed(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name) || implementsNamed(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
