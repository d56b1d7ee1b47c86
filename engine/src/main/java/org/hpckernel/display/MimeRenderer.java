package org.hpckernel.display;

import java.awt.image.RenderedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Java value into a {@link MimeBundle}: the one place that decides how values look in a
 * notebook, used both for {@code display(...)} and for a cell's final value.
 */
public final class MimeRenderer {
    static {
        // Images are rendered off-screen; without this, AWT may try to reach an X server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private MimeRenderer() {}

    /** The natural representation of {@code value}. Never throws for a misbehaving toString(). */
    public static MimeBundle render(Object value) {
        if (value instanceof MimeBundle bundle) {
            return bundle;
        }
        if (value instanceof Displayable displayable) {
            return fromDisplayable(displayable);
        }
        if (value instanceof RenderedImage image) {
            return ImageRenderer.render(image, List.of("image/png"));
        }
        return MimeBundle.text(plainText(value));
    }

    /**
     * {@code value} as exactly the given MIME types. A String is taken to be content of those
     * types ({@code render("<b>x</b>", "text/html")}).
     *
     * @throws IllegalArgumentException if {@code value} cannot be shown as one of the types
     */
    public static MimeBundle render(Object value, String... mimeTypes) {
        if (mimeTypes == null || mimeTypes.length == 0) {
            return render(value);
        }
        List<String> types = Arrays.asList(mimeTypes);
        if (value instanceof String text) {
            Map<String, Object> data = new LinkedHashMap<>();
            types.forEach(type -> data.put(type, text));
            return new MimeBundle(data, Map.of());
        }
        if (value instanceof RenderedImage image) {
            return ImageRenderer.render(image, types);
        }
        if (value instanceof MimeBundle || value instanceof Displayable) {
            return select(render(value), types, value);
        }
        for (String type : types) {
            if (!type.equals("text/plain")) {
                throw unsupported(value, type, List.of("text/plain"));
            }
        }
        return MimeBundle.text(plainText(value));
    }

    /** The text/plain form: strings as is, arrays element-wise, failures of toString() as text. */
    public static String plainText(Object value) {
        try {
            if (value == null) {
                return "null";
            }
            if (value.getClass().isArray()) {
                return arrayText(value);
            }
            return String.valueOf(value);
        } catch (ThreadDeath | VirtualMachineError fatal) {
            if (!(fatal instanceof StackOverflowError)) {
                throw fatal;
            }
            return failedToString(value, fatal);
        } catch (Throwable e) {
            return failedToString(value, e);
        }
    }

    private static String arrayText(Object array) {
        if (array instanceof Object[] objects) {
            return Arrays.deepToString(objects);
        } else if (array instanceof int[] a) {
            return Arrays.toString(a);
        } else if (array instanceof long[] a) {
            return Arrays.toString(a);
        } else if (array instanceof double[] a) {
            return Arrays.toString(a);
        } else if (array instanceof float[] a) {
            return Arrays.toString(a);
        } else if (array instanceof boolean[] a) {
            return Arrays.toString(a);
        } else if (array instanceof char[] a) {
            return Arrays.toString(a);
        } else if (array instanceof byte[] a) {
            return Arrays.toString(a);
        } else {
            return Arrays.toString((short[]) array);
        }
    }

    private static String failedToString(Object value, Throwable e) {
        return "<" + value.getClass().getName() + ": toString() threw " + e + ">";
    }

    private static MimeBundle fromDisplayable(Displayable displayable) {
        try {
            MimeBundle bundle = displayable.toMimeBundle();
            return bundle != null ? bundle : MimeBundle.text(plainText(displayable));
        } catch (ThreadDeath | VirtualMachineError fatal) {
            if (!(fatal instanceof StackOverflowError)) {
                throw fatal;
            }
            return MimeBundle.text("<" + displayable.getClass().getName() + ": toMimeBundle() threw " + fatal + ">");
        } catch (RuntimeException | Error e) {
            return MimeBundle.text("<" + displayable.getClass().getName() + ": toMimeBundle() threw " + e + ">");
        }
    }

    private static MimeBundle select(MimeBundle bundle, List<String> types, Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String type : types) {
            Object content = bundle.data().get(type);
            if (content == null) {
                throw unsupported(value, type, new ArrayList<>(bundle.data().keySet()));
            }
            data.put(type, content);
            Object meta = bundle.metadata().get(type);
            if (meta != null) {
                metadata.put(type, meta);
            }
        }
        return new MimeBundle(data, metadata);
    }

    private static IllegalArgumentException unsupported(Object value, String type, List<String> supported) {
        String what = value == null ? "null" : value.getClass().getName();
        return new IllegalArgumentException("cannot render " + what + " as " + type
                + "; supported MIME types: " + String.join(", ", supported));
    }
}
