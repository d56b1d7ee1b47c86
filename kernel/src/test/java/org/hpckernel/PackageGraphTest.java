package org.hpckernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.hpckernel.display.Display;
import org.hpckernel.runner.RunnerMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the compiled main classes (kernel, runner and engine modules), as the JDK's
 * jdeps sees it, reads top-down: a package imports only packages listed after it in
 * {@link #TOP_DOWN}, and no packages form a cycle. A new package must be placed in the list.
 */
class PackageGraphTest {
    /** Every package, highest first. The kernel speaks the protocol; magic, not hpc, talks to the notebook. */
    static final List<String> TOP_DOWN = List.of(
            "org.hpckernel",                  // command line entry
            "org.hpckernel.install",          // kernelspec install / uninstall
            "org.hpckernel.kernel",           // the Jupyter kernel: sockets, handlers, cell dispatch
            "org.hpckernel.kernel.history",
            "org.hpckernel.protocol",         // the wire format; only the kernel uses it
            "org.hpckernel.protocol.content",
            "org.hpckernel.export",           // notebook -> Maven project + batch pipeline; implements %hpc export
            "org.hpckernel.magic",            // %magics; turns hpc's errors into cell errors
            "org.hpckernel.hpc",              // submit, monitor and follow jobs
            "org.hpckernel.hpc.ledger",
            "org.hpckernel.hpc.config",       // profiles and clusters.json; checks scheduler settings
            "org.hpckernel.hpc.scheduler",
            "org.hpckernel.hpc.environment",  // modules, containers, Guix: the lines job.sh runs around the payload
            "org.hpckernel.hpc.transport",
            "org.hpckernel.hpc.options",      // the job-option vocabulary
            "org.hpckernel.maven",            // %maven: Maven Resolver with the user's settings
            "org.hpckernel.runner",           // module runner: what a node runs
            "org.hpckernel.eval",             // module engine: JShell evaluation, output capture; snapshots the session
            "org.hpckernel.translate",        // module engine: notebook + cell -> plain Java classes, compiled
            "org.hpckernel.values",           // module engine: values shipped to and from jobs
            "org.hpckernel.display",          // module engine: the display API cells call
            "org.hpckernel.util");

    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.hpckernel[\\w.]*)\\s+->\\s+(org\\.hpckernel[\\w.]*)\\s");

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readGraph() {
        graph = packageGraph(location(Main.class), location(RunnerMain.class), location(Display.class));
    }

    /** package -> the packages it depends on, from {@code jdeps -verbose:package} over the given class trees or jars. */
    static Map<String, Set<String>> packageGraph(Path... classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("jdeps is missing: run the build on a JDK, not a JRE"));
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-e", "org\\.hpckernel(\\..*)?"));
        for (Path p : new LinkedHashSet<>(List.of(classes))) args.add(p.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        assertEquals(0, rc, "jdeps " + args + " failed: " + err.toString(StandardCharsets.UTF_8));
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return edges;
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theGraphWasRead() {
        // Guards the other tests against passing on an empty jdeps answer.
        assertTrue(graph.getOrDefault("org.hpckernel.kernel", Set.of()).contains("org.hpckernel.magic"), graph.toString());
        assertTrue(graph.getOrDefault("org.hpckernel.runner", Set.of()).contains("org.hpckernel.eval"), graph.toString());
    }

    @Test
    void everyPackageHasItsPlace() {
        Set<String> unplaced = new TreeSet<>();
        graph.forEach((from, tos) -> {
            if (!TOP_DOWN.contains(from)) unplaced.add(from);
            for (String to : tos) if (!TOP_DOWN.contains(to)) unplaced.add(to);
        });
        assertEquals(Set.of(), unplaced, "packages missing from PackageGraphTest.TOP_DOWN: place each under what imports it");
    }

    @Test
    void packagesImportOnlyDownwards() {
        List<String> upward = upwardEdges(graph);
        assertEquals(List.of(), upward, "upward imports (a package may only import packages below it in PackageGraphTest.TOP_DOWN)");
    }

    @Test
    void noPackageCycles() {
        List<Set<String>> cycles = cycles(graph);
        assertEquals(List.of(), cycles, "package cycles");
    }

    static List<String> upwardEdges(Map<String, Set<String>> edges) {
        List<String> upward = new ArrayList<>();
        edges.forEach((from, tos) -> {
            for (String to : tos) {
                int f = TOP_DOWN.indexOf(from);
                int t = TOP_DOWN.indexOf(to);
                if (f >= 0 && t >= 0 && t <= f) upward.add(from + " -> " + to);
            }
        });
        return upward;
    }

    /** The strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(nodes::addAll);
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String n : nodes) {
            if (!index.containsKey(n)) strongConnect(n, edges, index, low, stack, onStack, found, counter);
        }
        return found;
    }

    private static void strongConnect(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, edges, index, low, stack, onStack, found, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) found.add(component);
        }
    }

    @Test
    void theChecksCatchWhatTheyAreFor() {
        // The rules themselves, on a made-up graph: an upward import and a cycle are both reported.
        Map<String, Set<String>> bad = Map.of(
                "org.hpckernel.hpc.options", Set.of("org.hpckernel.magic"),
                "org.hpckernel.magic", Set.of("org.hpckernel.hpc.options"),
                "org.hpckernel.kernel", Set.of("org.hpckernel.protocol"));
        assertEquals(List.of("org.hpckernel.hpc.options -> org.hpckernel.magic"), upwardEdges(bad));
        assertEquals(List.of(Set.of("org.hpckernel.hpc.options", "org.hpckernel.magic")), cycles(bad));
    }
}
