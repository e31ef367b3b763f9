package dev.jerry.model.download;

import dev.jerry.kit.client.TimedStream;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a model file: into {@code NAME.part}, resuming an earlier partial download with an HTTP range request,
 * after checking that the disk has room (else {@link InsufficientStorageException}), with progress in the log, and
 * verifying the SHA-256 before the file takes its final name. A part that cannot be trusted (wrong checksum, no room)
 * is removed; one cut off by the network is kept for the next attempt.
 */
public final class ModelDownloader {
    private static final Logger log = LoggerFactory.getLogger(ModelDownloader.class);
    /** Room kept free beyond the file itself, so that a download never fills the disk to the last byte. */
    static final long DISK_MARGIN_BYTES = 64L * 1024 * 1024;

    /** Bytes so far out of the total (0 when unknown). */
    public record Progress(long bytes, long total) {
        public int percent() {
            return total <= 0 ? 0 : (int) (100 * bytes / total);
        }

        public String describe() {
            return total > 0
                    ? percent() + "% (" + bytes / 1_000_000 + " of " + total / 1_000_000 + " MB)"
                    : bytes / 1_000_000 + " MB";
        }
    }

    private final HttpClient http;
    private final Duration idleTimeout;

    public ModelDownloader(Duration connectTimeout, Duration idleTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.idleTimeout = idleTimeout;
    }

    /**
     * Makes sure {@code target} holds the file at {@code url}; returns it. A target that exists and matches the
     * checksum is not downloaded again.
     */
    public Path download(URI url, Path target, Optional<String> sha256, Consumer<Progress> progress) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            if (Files.isRegularFile(target) && (sha256.isEmpty() || sha256.get().equalsIgnoreCase(digest(target)))) {
                return target;
            }
            Path part = target.resolveSibling(target.getFileName() + ".part");
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean resumed = response.statusCode() == 206;
            if (response.statusCode() == 416 && have > 0) {
                response.body().close(); // the part is already complete
            } else if (response.statusCode() != 200 && !resumed) {
                response.body().close();
                throw new DownloadException(url + " answered " + response.statusCode(), null);
            } else {
                if (!resumed) {
                    have = 0;
                }
                long remaining =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                long total = remaining < 0 ? 0 : have + remaining;
                checkDisk(target, part, remaining, have);
                if (have > 0) {
                    log.info("resuming the download of {} at {} MB", target.getFileName(), have / 1_000_000);
                }
                copy(response.body(), part, resumed, have, total, progress);
            }
            if (sha256.isPresent()) {
                String actual = digest(part);
                if (!actual.equalsIgnoreCase(sha256.get())) {
                    Files.deleteIfExists(part);
                    throw new DownloadException(
                            "the download of " + url + " has SHA-256 " + actual + ", expected " + sha256.get()
                                    + "; the file was removed",
                            null);
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("downloaded {} ({} MB)", target, Files.size(target) / 1_000_000);
            return target;
        } catch (IOException e) {
            throw new DownloadException(
                    "downloading " + url + " failed: " + describe(e)
                            + " (the partial file is kept and the next attempt resumes it)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted while downloading " + url, e);
        }
    }

    private static void checkDisk(Path target, Path part, long remaining, long have) throws IOException {
        if (remaining < 0) {
            return;
        }
        long free = Files.getFileStore(target.toAbsolutePath().getParent()).getUsableSpace();
        if (remaining + DISK_MARGIN_BYTES > free) {
            if (have == 0) {
                Files.deleteIfExists(part);
            }
            throw new InsufficientStorageException("not enough disk space to download " + target.getFileName()
                    + ": it needs " + remaining / 1_000_000 + " MB more, " + free / 1_000_000 + " MB are free in "
                    + target.toAbsolutePath().getParent() + " (JERRY_MODELS_DIR)");
        }
    }

    private void copy(InputStream body, Path part, boolean append, long have, long total, Consumer<Progress> progress)
            throws IOException {
        long bytes = have;
        long lastReport = System.nanoTime();
        try (TimedStream<byte[]> chunks =
                        new TimedStream<>("download", body, () -> chunk(body), idleTimeout, null, () -> {});
                OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.CREATE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            Optional<byte[]> chunk;
            while ((chunk = chunks.next()).isPresent()) {
                out.write(chunk.get());
                bytes += chunk.get().length;
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    log.info("downloading {}: {}", part.getFileName(), new Progress(bytes, total).describe());
                }
                progress.accept(new Progress(bytes, total));
            }
        } catch (UpstreamException.Timeout e) {
            throw new IOException("no data for " + idleTimeout.toSeconds() + " s", e);
        } catch (UpstreamException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (total > 0 && bytes < total) {
            throw new IOException("the connection closed after " + bytes + " of " + total + " bytes");
        }
    }

    private static Optional<byte[]> chunk(InputStream body) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n = body.read(buffer);
        return n < 0 ? Optional.empty() : Optional.of(Arrays.copyOf(buffer, n));
    }

    static String digest(Path file) throws IOException {
        return Sha256.hexOfFile(file);
    }

    /** An I/O failure in words: JDK exceptions for a refused or unresolvable connection often have no message. */
    static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot connect (no network, or the host is blocked)";
        }
        if (e instanceof java.net.UnknownHostException
                || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            return "cannot resolve the host name (no network or no DNS)";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
