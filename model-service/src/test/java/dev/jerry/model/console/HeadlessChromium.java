package dev.jerry.model.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's ChromeDriver ({@code .ci/run} installs packages {@code chromium} and
 * {@code chromium-driver}), headless, with a fresh profile and without the background traffic that a closed network
 * refuses. Without them a browser test is skipped, except under CI ({@code CI} set), where their absence is a failure.
 */
final class HeadlessChromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** A new browser with its own profile under {@code dir}; the caller quits it. */
    static ChromeDriver start(Path dir) {
        require();
        Path profile;
        try {
            profile = Files.createTempDirectory(dir, "chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-quic",
                        "--no-first-run",
                        "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }

    private static void require() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        String message = "no headless browser: install Debian's chromium and chromium-driver (expected " + BROWSER
                + " and " + DRIVER + "; .ci/run installs them)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
    }
}
