package dev.jerry.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Images made fit for a vision model with the real ImageIO codecs: scaled, turned upright, kept, or refused. */
class ImageScalerTest {
    /** 64×48 lossy WebP, left half red, right half blue (made with libwebp's cwebp). */
    static final String WEBP = "UklGRm4AAABXRUJQVlA4IGIAAAAQBQCdASpAADAAPjEWiUMiISEVVAAgAwSxgGiggB+IGmA/AD9gP6AAWY8bPWM"
            + "sZ/QAAP73opWnvD4zf7mHeBopiZn//CdI/Qk/sJ31aILv/hZlwna2zYUOBKHC3FMIaWgAAA==";

    private final ImageScaler scaler = new ImageScaler(ImageScaler.DEFAULT_MAX_SIDE);

    /** A phone-sized photo: gradients under fine grain, so the JPEG is a few MB like a real one. */
    static byte[] photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grain = random.nextInt(16) - 8;
                row[x] = channel(x * 255 / width + grain) << 16
                        | channel(y * 255 / height + grain) << 8
                        | channel(128 + grain);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return jpeg(image, 0.92f);
    }

    private static int channel(int value) {
        return Math.max(0, Math.min(255, value));
    }

    /** Left half red, right half blue. */
    static BufferedImage halves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        return ImageScaler.jpeg(image, quality);
    }

    static byte[] png(BufferedImage image) throws IOException {
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** {@code jpeg} with an EXIF APP1 segment saying {@code orientation}, right after its SOI marker. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put("MM".getBytes()).putShort((short) 42).putInt(8); // big-endian TIFF header, first IFD at 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, one value
        tiff.putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] payload = ByteBuffer.allocate(6 + tiff.capacity())
                .put("Exif\0\0".getBytes())
                .put(tiff.array())
                .array();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2); // SOI
        out.put((byte) 0xFF)
                .put((byte) 0xE1)
                .putShort((short) (payload.length + 2))
                .put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    private static boolean reddish(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 180 && c.getBlue() < 80;
    }

    private static boolean bluish(int rgb) {
        Color c = new Color(rgb);
        return c.getBlue() > 180 && c.getRed() < 80;
    }

    @Test
    void should_scale_a_phone_photo_to_the_longest_side_when_it_is_larger() throws Exception {
        // given: a 4032×3024 photo of several MB, like a phone's
        byte[] photo = photo(4032, 3024);
        assertThat(photo.length).isGreaterThan(2 * 1024 * 1024);

        // when
        ImageScaler.Fitted fitted = scaler.fit(photo);

        // then: 1568 px on the longest side, the aspect kept, a JPEG far smaller than the photo
        assertThat(fitted.changed()).isTrue();
        assertThat(fitted.format()).isEqualTo("jpeg");
        assertThat(fitted.width()).isEqualTo(1568);
        assertThat(fitted.height()).isEqualTo(1176);
        BufferedImage decoded = decode(fitted.bytes());
        assertThat(decoded.getWidth()).isEqualTo(1568);
        assertThat(decoded.getHeight()).isEqualTo(1176);
        assertThat(fitted.bytes().length).isLessThan(photo.length / 2);
    }

    @Test
    void should_keep_a_small_upright_png_byte_for_byte() throws Exception {
        // given
        byte[] png = png(halves(200, 100));

        // when
        ImageScaler.Fitted fitted = scaler.fit(png);

        // then
        assertThat(fitted.changed()).isFalse();
        assertThat(fitted.bytes()).isEqualTo(png);
        assertThat(fitted.format()).isEqualTo("png");
    }

    @Test
    void should_turn_a_photo_upright_when_its_exif_orientation_says_it_is_rotated() throws Exception {
        // given: stored landscape, red on the left; orientation 6 means "turn 90° clockwise to show"
        byte[] sideways = withOrientation(jpeg(halves(200, 100), 0.95f), 6);
        assertThat(ImageScaler.orientation(sideways)).isEqualTo(6);

        // when
        ImageScaler.Fitted fitted = scaler.fit(sideways);

        // then: portrait, red (once the left) now on top
        BufferedImage upright = decode(fitted.bytes());
        assertThat(fitted.changed()).isTrue();
        assertThat(upright.getWidth()).isEqualTo(100);
        assertThat(upright.getHeight()).isEqualTo(200);
        assertThat(reddish(upright.getRGB(50, 20))).isTrue();
        assertThat(bluish(upright.getRGB(50, 180))).isTrue();
    }

    @Test
    void should_read_a_webp_and_send_it_as_jpeg() throws Exception {
        // given
        byte[] webp = Base64.getDecoder().decode(WEBP);

        // when
        ImageScaler.Fitted fitted = scaler.fit(webp);

        // then
        assertThat(fitted.format()).isEqualTo("jpeg");
        BufferedImage decoded = decode(fitted.bytes());
        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(48);
        assertThat(reddish(decoded.getRGB(8, 24))).isTrue();
        assertThat(bluish(decoded.getRGB(56, 24))).isTrue();
    }

    @Test
    void should_refuse_bytes_that_are_no_image() {
        // given
        byte[] notAnImage = {(byte) 0x89, 'P', 'N', 'G', 7, 7, 7};

        // when / then
        assertThatThrownBy(() -> scaler.fit(notAnImage))
                .isInstanceOf(ImageScaler.Unreadable.class)
                .hasMessageContaining("image");
    }

    @Test
    void should_tell_the_type_of_a_kept_image_by_its_bytes_not_its_name() throws Exception {
        // given: a JPEG named .png, a PNG, a WebP
        String jpeg = Base64.getEncoder().encodeToString(jpeg(halves(20, 10), 0.9f));
        String png = Base64.getEncoder().encodeToString(png(halves(20, 10)));

        // when / then
        assertThat(Attachments.mimeType(jpeg)).isEqualTo("image/jpeg");
        assertThat(Attachments.mimeType(png)).isEqualTo("image/png");
        assertThat(Attachments.mimeType(WEBP)).isEqualTo("image/webp");
    }
}
