package org.hpckernel.display;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * The notebook API every session imports statically ({@code display(...)}, {@code html(...)},
 * {@code readLine(...)}...), shaped like IJava's so existing notebooks keep working.
 *
 * <p>Every call first flushes captured stdout/stderr, so text printed before a display stays
 * before it. Without a host (no {@link DisplayHost}, or no cell running) displays fall back to printing
 * their text/plain form on {@code System.out}.
 */
public final class Display {
    private Display() {}

    /** Shows {@code value} in its natural representation; returns the display id. */
    public static String display(Object value) {
        return publish(MimeRenderer.render(value), newDisplayId(), false);
    }

    /** Shows {@code value} as exactly these MIME types; a String is taken as their content. */
    public static String display(Object value, String... mimeTypes) {
        return publish(MimeRenderer.render(value, mimeTypes), newDisplayId(), false);
    }

    /** Replaces the output of an earlier {@link #display} with the given id. */
    public static void updateDisplay(String displayId, Object value) {
        publish(MimeRenderer.render(value), requireId(displayId), true);
    }

    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        publish(MimeRenderer.render(value, mimeTypes), requireId(displayId), true);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the cell's output; with {@code wait}, only once new output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        DisplayTarget target = flushAndGetTarget();
        if (target != null) {
            target.clearOutput(wait);
        }
    }

    /** Asks the frontend for one line of input. */
    public static String readLine(String prompt) {
        return read(prompt, false);
    }

    /** Like {@link #readLine} but the frontend hides what is typed. */
    public static String readPassword(String prompt) {
        return read(prompt, true);
    }

    public static MimeBundle html(String html) {
        return rich("text/html", html);
    }

    public static MimeBundle markdown(String markdown) {
        return rich("text/markdown", markdown);
    }

    public static MimeBundle svg(String svg) {
        return rich("image/svg+xml", svg);
    }

    public static MimeBundle latex(String latex) {
        return rich("text/latex", latex);
    }

    private static MimeBundle rich(String type, String content) {
        // text/plain too: the message spec asks for it and non-HTML consumers (logs, nbconvert
        // to text) then still show something meaningful.
        String text = content == null ? "" : content;
        return new MimeBundle(Map.of(type, text, "text/plain", text), Map.of());
    }

    private static String publish(MimeBundle bundle, String displayId, boolean update) {
        DisplayTarget target = flushAndGetTarget();
        if (target != null) {
            target.display(bundle, displayId, update);
        } else {
            System.out.println(bundle.data().getOrDefault("text/plain", bundle.data().toString()));
        }
        return displayId;
    }

    private static DisplayTarget flushAndGetTarget() {
        DisplayHost host = DisplayHosts.current();
        return host == null ? null : host.flushAndGetTarget();
    }

    private static String read(String prompt, boolean password) {
        DisplayHost host = DisplayHosts.current();
        if (host == null || !host.hasTarget()) {
            throw noInput("no frontend is attached");
        }
        try {
            return host.readLine(prompt == null ? "" : prompt, password);
        } catch (StdinUnavailableException e) {
            throw noInput(e.getMessage());
        } catch (InterruptedIOException e) {
            CancellationException cancelled = new CancellationException("input cancelled: " + e.getMessage());
            cancelled.initCause(e);
            throw cancelled;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IllegalStateException noInput(String detail) {
        return new IllegalStateException("This frontend does not allow input (" + detail
                + "); notebooks run by nbclient, papermill or as batch jobs have no stdin."
                + " Pass the value another way, e.g. a variable set in a cell, a file or an environment variable.");
    }

    private static String newDisplayId() {
        return UUID.randomUUID().toString();
    }

    private static String requireId(String displayId) {
        if (displayId == null || displayId.isEmpty()) {
            throw new IllegalArgumentException("display id must not be empty");
        }
        return displayId;
    }
}
