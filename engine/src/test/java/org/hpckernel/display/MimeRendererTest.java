package org.hpckernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MimeRendererTest {
    private static String plain(Object value) {
        return (String) MimeRenderer.render(value).data().get("text/plain");
    }

    @Test
    void basicValuesBecomeTextPlain() {
        assertEquals("null", plain(null));
        assertEquals("hello \"world\"", plain("hello \"world\""));
        assertEquals("42", plain(42));
        assertEquals("[1, 2]", plain(List.of(1, 2)));
        assertEquals(Map.of("text/plain", "x"), MimeRenderer.render("x").data());
    }

    @Test
    void arraysAreShownElementWise() {
        assertEquals("[1, 2, 3]", plain(new int[] {1, 2, 3}));
        assertEquals("[true, false]", plain(new boolean[] {true, false}));
        assertEquals("[a, b]", plain(new char[] {'a', 'b'}));
        assertEquals("[[a, b], [c]]", plain(new String[][] {{"a", "b"}, {"c"}}));
        assertEquals("[[1, 2], [3]]", plain(new int[][] {{1, 2}, {3}}));
    }

    @Test
    void imagesBecomeBase64PngWithSize() throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(1, 1, Color.RED.getRGB());
        MimeBundle bundle = MimeRenderer.render(image);
        String png = (String) bundle.data().get("image/png");
        assertNotNull(png);
        assertFalse(png.contains("\n"));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        assertEquals(640, decoded.getWidth());
        assertEquals(Color.RED.getRGB(), decoded.getRGB(1, 1));
        assertEquals("BufferedImage 640x480", bundle.data().get("text/plain"));
        assertEquals(Map.of("width", 640, "height", 480), bundle.metadata().get("image/png"));
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void anImageWithAlphaCanBeAskedForAsJpeg() throws IOException {
        BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_ARGB);
        MimeBundle bundle = MimeRenderer.render(image, "image/jpeg");
        String jpeg = (String) bundle.data().get("image/jpeg");
        assertNotNull(jpeg);
        assertFalse(bundle.data().containsKey("image/png"));
        assertEquals(20, ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(jpeg))).getWidth());
    }

    @Test
    void aStringWithExplicitTypesIsThatContent() {
        MimeBundle bundle = MimeRenderer.render("<b>x</b>", "text/html");
        assertEquals(Map.of("text/html", "<b>x</b>"), bundle.data());
    }

    @Test
    void impossibleCombinationsNameTheSupportedTypes() {
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> MimeRenderer.render(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "text/html"));
        assertTrue(image.getMessage().contains("image/png") && image.getMessage().contains("image/jpeg"), image.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> MimeRenderer.render(42, "image/png"));
        assertTrue(number.getMessage().contains("text/plain"), number.getMessage());
        IllegalArgumentException bundle = assertThrows(IllegalArgumentException.class,
                () -> MimeRenderer.render(Display.markdown("*x*"), "text/html"));
        assertTrue(bundle.getMessage().contains("text/markdown"), bundle.getMessage());
    }

    @Test
    void bundlesAndDisplayablesRenderThemselves() {
        MimeBundle bundle = new MimeBundle(Map.of("text/html", "<i>x</i>", "text/plain", "x"), Map.of());
        assertSame(bundle, MimeRenderer.render(bundle));
        Displayable custom = () -> new MimeBundle(Map.of("application/json", Map.of("a", 1)), Map.of());
        assertEquals(Map.of("a", 1), MimeRenderer.render(custom).data().get("application/json"));
        assertEquals(Map.of("text/html", "<i>x</i>"), MimeRenderer.render(bundle, "text/html").data());
    }

    @Test
    void aThrowingToStringIsRenderedAsText() {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no string for you");
            }
        };
        String text = plain(broken);
        assertTrue(text.contains("toString() threw") && text.contains("no string for you"), text);
        Displayable failing = () -> {
            throw new UnsupportedOperationException("nope");
        };
        assertTrue(plain(failing).contains("toMimeBundle() threw"));
    }

    @Test
    void helpersProduceTheirMimeType() {
        assertEquals("<b>b</b>", Display.html("<b>b</b>").data().get("text/html"));
        assertEquals("# t", Display.markdown("# t").data().get("text/markdown"));
        assertEquals("<svg/>", Display.svg("<svg/>").data().get("image/svg+xml"));
        assertEquals("$x^2$", Display.latex("$x^2$").data().get("text/latex"));
        assertTrue(Display.html("<b>b</b>").data().containsKey("text/plain"));
        // Returned as a cell's value, they render the same way.
        assertEquals("# t", MimeRenderer.render(Display.markdown("# t")).data().get("text/markdown"));
    }
}
