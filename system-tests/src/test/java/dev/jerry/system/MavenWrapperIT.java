package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's test command works whatever JAVA_HOME says: {@code ./mvnw} finds a JDK 21 or newer by itself. */
class MavenWrapperIT {
    @Test
    void should_choose_a_jdk_21_or_newer_and_say_which_when_java_home_is_not_one(@TempDir Path dir) throws Exception {
        // given: JAVA_HOME points to something that is no JDK
        Path notAJdk = Files.createDirectories(dir.resolve("old-java"));
        Path output = dir.resolve("mvnw.txt");
        ProcessBuilder builder = new ProcessBuilder(
                        RepoPaths.root().resolve("mvnw").toString(), "-v")
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", notAJdk.toString());

        // when
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then
        String said = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(said).isZero();
        assertThat(said)
                .containsPattern("mvnw: using the JDK in \\S+ \\(JAVA_HOME=" + Pattern.quote(notAJdk.toString())
                        + " is not a JDK 21 or newer\\)")
                .contains("Apache Maven")
                .containsPattern("Java version: (2[1-9]|[3-9]\\d)");
    }
}
