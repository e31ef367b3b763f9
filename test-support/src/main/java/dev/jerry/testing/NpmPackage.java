package dev.jerry.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pinned npm package under {@code configs/} (a package.json, its lock file and an {@code install.sh}), installed on
 * first use. A file lock keeps test JVMs running side by side from installing it twice at once.
 */
final class NpmPackage {
    private static final Logger log = LoggerFactory.getLogger(NpmPackage.class);

    private NpmPackage() {}

    /** Runs {@code dir/install.sh} unless {@code installed} exists already; fails when it still does not after. */
    static void ensureInstalled(Path dir, Path installed) throws IOException {
        if (Files.exists(installed)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(
                        dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (!Files.exists(installed)) {
                log.info("installing the pinned npm package with {}", dir.resolve("install.sh"));
                // not inheritIO: npm writing to the test JVM's stdout corrupts surefire's channel to its fork
                Path output = Files.createTempFile("npm-install-", ".log");
                Process install = new ProcessBuilder(
                                "bash", dir.resolve("install.sh").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                boolean ok = install.waitFor() == 0 && Files.exists(installed);
                String printed = Files.readString(output);
                Files.deleteIfExists(output);
                if (!ok) {
                    throw new IOException("installing " + dir + " failed; run " + dir.resolve("install.sh")
                            + " (needs npm): " + printed);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing " + dir, e);
        }
    }
}
