package org.hpckernel.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Encodes AWT images as base64 PNG or JPEG for a {@link MimeBundle}. */
final class ImageRenderer {
    static final List<String> TYPES = List.of("image/png", "image/jpeg", "text/plain");

    private ImageRenderer() {}

    static MimeBundle render(RenderedImage image, List<String> mimeTypes) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String type : mimeTypes) {
            switch (type) {
                case "image/png" -> data.put(type, encode(image, "png"));
                // JPEG has no alpha channel; ImageIO refuses (or mangles) ARGB input.
                case "image/jpeg" -> data.put(type, encode(withoutAlpha(image), "jpeg"));
                case "text/plain" -> { }
                default -> throw new IllegalArgumentException("cannot render "
                        + image.getClass().getSimpleName() + " as " + type + "; supported: " + TYPES);
            }
            if (type.startsWith("image/")) {
                metadata.put(type, Map.of("width", image.getWidth(), "height", image.getHeight()));
            }
        }
        data.put("text/plain", describe(image));
        return new MimeBundle(data, metadata);
    }

    static String describe(RenderedImage image) {
        return image.getClass().getSimpleName() + " " + image.getWidth() + "x" + image.getHeight();
    }

    private static String encode(RenderedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format + " accepts "
                        + describe(image));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static RenderedImage withoutAlpha(RenderedImage image) {
        if (image instanceof BufferedImage b && !b.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawRenderedImage(image, new AffineTransform());
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
