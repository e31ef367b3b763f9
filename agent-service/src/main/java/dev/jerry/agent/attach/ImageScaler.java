package dev.jerry.agent.attach;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes an attached image fit for a vision model: a phone photo (4000 px, several MB) is scaled so that its longest
 * side is at most {@code maxSide} pixels, turned upright as its EXIF orientation says, and re-encoded as JPEG; what a
 * model sees barely changes (vision encoders work at a few hundred to ~1500 px), but the base64 sent with every
 * question shrinks from megabytes to a few hundred kB, under model-service's body limit. A small, upright PNG or JPEG
 * is kept as it came. Reads PNG, JPEG (also CMYK), GIF (the first frame), BMP and WebP through ImageIO, the last two
 * JPEG kinds and WebP with the TwelveMonkeys plugins.
 */
final class ImageScaler {
    /** Anthropic's and Ollama's vision models work at up to about this many pixels on the longest side. */
    static final int DEFAULT_MAX_SIDE = 1568;
    /** A small image in a format every model reads is kept byte for byte. */
    static final int KEEP_BYTES = 512 * 1024;
    /** Refused before decoding: a tiny file can claim enormous dimensions (a decompression bomb). */
    static final long MAX_PIXELS = 200_000_000L;

    private static final float JPEG_QUALITY = 0.85f;
    private static final Set<String> KEPT_FORMATS = Set.of("png", "jpeg");

    /** An image as it goes to the model. */
    record Fitted(byte[] bytes, String format, int width, int height, boolean changed) {}

    /** The bytes are no image this can read, or claim more pixels than it decodes. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final int maxSide;

    ImageScaler(int maxSide) {
        this.maxSide = maxSide;
    }

    Fitted fit(byte[] original) throws Unreadable {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(original))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new Unreadable("it is not an image I can read (PNG, JPEG, GIF, BMP or WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw new Unreadable("it is " + width + "×" + height + " pixels; the most I read is "
                            + MAX_PIXELS / 1_000_000 + " million");
                }
                int orientation = format.equals("jpeg") ? orientation(original) : 1;
                if (Math.max(width, height) <= maxSide
                        && orientation == 1
                        && original.length <= KEEP_BYTES
                        && KEPT_FORMATS.contains(format)) {
                    return new Fitted(original, format, width, height, false);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // decoding every n-th pixel first keeps a 50-megapixel photo from taking hundreds of MB of heap
                int step = Math.max(1, Math.max(width, height) / maxSide);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                BufferedImage upright = orient(scaled(decoded), orientation);
                byte[] jpeg = jpeg(upright, JPEG_QUALITY);
                return new Fitted(jpeg, "jpeg", upright.getWidth(), upright.getHeight(), true);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO throws IIOException, and some plugins IllegalArgumentException, for a corrupt file
            throw new Unreadable("it could not be read as an image (" + e.getMessage() + ")");
        }
    }

    /** Opaque RGB, longest side at most {@link #maxSide}, drawn with bicubic interpolation (alpha over white). */
    private BufferedImage scaled(BufferedImage image) {
        double factor = Math.min(1.0, (double) maxSide / Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Turned as EXIF orientation {@code 1..8} says (2, 4, 5, 7 are mirrored), so that the model sees it upright. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> t.setTransform(-1, 0, 0, 1, w, 0);
            case 3 -> t.setTransform(-1, 0, 0, -1, w, h);
            case 4 -> t.setTransform(1, 0, 0, -1, 0, h);
            case 5 -> t.setTransform(0, 1, 1, 0, 0, 0);
            case 6 -> t.setTransform(0, 1, -1, 0, h, 0);
            case 7 -> t.setTransform(0, -1, -1, 0, h, w);
            default -> t.setTransform(0, -1, 1, 0, 0, w);
        }
        BufferedImage turned = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = turned.createGraphics();
        try {
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return turned;
    }

    /** The EXIF orientation of a JPEG; 1 (as stored) when it has none or it cannot be read. */
    static int orientation(byte[] jpeg) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(stream, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            InputStream data = exif.getFirst().data();
            // the Exif identifier is followed by a second NUL before the TIFF header
            data.read();
            try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
                Directory directory = new TIFFReader().read(tiff);
                return Optional.ofNullable(directory.getEntryById(TIFF.TAG_ORIENTATION))
                        .map(Entry::getValue)
                        .filter(Number.class::isInstance)
                        .map(v -> ((Number) v).intValue())
                        .orElse(1);
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** {@code image} as a baseline JPEG of this quality (0..1). */
    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
