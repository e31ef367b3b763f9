package dev.jerry.kit.natives;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native libraries are unpacked into a directory this process owns, never into a shared {@code /tmp}: llama.cpp's
 * loader ({@code de.kherud:llama}) deletes every {@code llama*} file in its directory before unpacking (a user's
 * {@code /tmp/llama-3.2-1b.gguf} went with it), and the ONNX runtime leaves a 16 MB {@code onnxruntime-java*}
 * directory in {@code /tmp} at each start. The directory is {@code $JERRY_DATA_DIR/native/<service>-<pid>}, made
 * afresh at start-up and removed at exit; ones left by processes that no longer run are removed at the next start.
 * The libraries that keep caches in the user's home (DJL's tokenizer, PDFBox's font list) keep them in
 * {@code $JERRY_DATA_DIR/cache/} instead, and JNA unpacks into the process's own directory.
 *
 * <p>The libraries read their directories from system properties when their first class loads, so {@link #prepare}
 * runs first thing in {@code main}, before any class of {@code de.kherud.llama} or {@code ai.onnxruntime} is touched.
 * An operator's own {@code -Dde.kherud.llama.tmpdir} is kept (and made when missing), and so is an operator's
 * {@code -Donnxruntime.native.path} (which must hold the libraries).
 *
 * <p>Native models are loaded one after the other ({@link #loadExclusively}): two native libraries initialising at
 * once in one process is the one condition the SIGBUS at start-up (in {@code OrtSession.createSession} while a
 * llama.cpp thread ran) needed, so it cannot happen.
 */
public final class NativeLibraries {
    private static final Logger log = LoggerFactory.getLogger(NativeLibraries.class);

    public static final String LLAMA_TMPDIR = "de.kherud.llama.tmpdir";
    public static final String ONNX_PATH = "onnxruntime.native.path";
    public static final String DATA_DIR = "JERRY_DATA_DIR";
    public static final String DJL_CACHE = "DJL_CACHE_DIR";
    public static final String PDFBOX_FONT_CACHE = "pdfbox.fontcache";
    public static final String JNA_TMPDIR = "jna.tmpdir";

    /** Process-wide by nature: native libraries are loaded into the process, not into an object. */
    private static final ReentrantLock LOADING = new ReentrantLock();

    private NativeLibraries() {}

    /** The default data directory, as agent-service and the launcher use it. */
    public static Path dataDir(Env env) {
        return Path.of(env.string(
                DATA_DIR,
                Path.of(System.getProperty("user.home"), ".local", "share", "jerry")
                        .toString()));
    }

    /**
     * Makes this process's native directory and points llama.cpp and the ONNX runtime at it.
     *
     * @return the directory
     * @throws ConfigException when a directory cannot be made, naming the variable or property to change
     */
    public static Path prepare(Env env, String service) {
        Path root = dataDir(env).resolve("native");
        Path own = root.resolve(service + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(root);
            removeLeftovers(root);
            deleteTree(own);
            Files.createDirectory(own);
            restrict(own);
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(DATA_DIR, "cannot make the native library directory " + own + ": " + e);
        }
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("native-cleanup").unstarted(() -> deleteQuietly(own)));
        String llama = directory(LLAMA_TMPDIR, own.resolve("llama"));
        // an operator's own ONNX path must already hold the libraries: it is used as it is
        String onnx = System.getProperty(ONNX_PATH);
        if (onnx == null) {
            onnx = unpackOnnxRuntime(own.resolve("onnxruntime"))
                    .map(Path::toString)
                    .orElse(null);
        }
        // libraries that would otherwise write under ~: DJL's tokenizer library (~/.djl.ai), PDFBox's font list
        // (~/.pdfbox.cache) and JNA's stubs (~/.cache/JNA); caches are kept between runs, JNA's go with the process
        Path caches = dataDir(env).resolve("cache");
        String djl = System.getenv(DJL_CACHE) != null
                ? System.getenv(DJL_CACHE)
                : directory(DJL_CACHE, caches.resolve("djl"));
        String fonts = directory(PDFBOX_FONT_CACHE, caches.resolve("pdfbox"));
        directory(JNA_TMPDIR, own.resolve("jna"));
        log.info(
                "native libraries unpack into {} (llama.cpp: {}, ONNX runtime: {}); caches: {}, {}",
                own,
                llama,
                onnx,
                djl,
                fonts);
        return own;
    }

    /**
     * Runs {@code load} (an ONNX session, a llama.cpp model) while no other native model loads in this process.
     * Afterwards removes the empty directory the ONNX runtime makes in {@code java.io.tmpdir} even when its libraries
     * come from elsewhere.
     */
    public static <T> T loadExclusively(String what, Supplier<T> load) {
        LOADING.lock();
        try {
            log.debug("loading {} (native)", what);
            return load.get();
        } finally {
            removeOnnxTempDir();
            LOADING.unlock();
        }
    }

    /** The property's directory: the operator's when set (made if missing), else {@code fallback}. */
    private static String directory(String property, Path fallback) {
        String set = System.getProperty(property);
        Path dir = set == null || set.isBlank() ? fallback : Path.of(set);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(
                    "-D" + property, "the directory " + dir + " does not exist and cannot be made: " + e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("-D" + property, "the directory " + dir + " is not writable");
        }
        System.setProperty(property, dir.toString());
        return dir.toString();
    }

    /**
     * Copies the ONNX runtime's libraries out of its jar into {@code dir} and sets {@value #ONNX_PATH}, which makes
     * the runtime load them from there instead of unpacking them into {@code java.io.tmpdir}.
     */
    private static java.util.Optional<Path> unpackOnnxRuntime(Path dir) {
        String resources = "/ai/onnxruntime/native/" + onnxPlatform() + "/";
        List<String> libraries =
                List.of(System.mapLibraryName("onnxruntime"), System.mapLibraryName("onnxruntime4j_jni"));
        if (NativeLibraries.class.getResource(resources + libraries.getFirst()) == null) {
            return java.util.Optional.empty(); // no ONNX runtime in this service, or not for this platform
        }
        try {
            Files.createDirectories(dir);
            for (String library : libraries) {
                try (InputStream in = NativeLibraries.class.getResourceAsStream(resources + library)) {
                    if (in != null) {
                        Files.copy(in, dir.resolve(library), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException(DATA_DIR, "cannot unpack the ONNX runtime into " + dir + ": " + e);
        }
        System.setProperty(ONNX_PATH, dir.toString());
        return java.util.Optional.of(dir);
    }

    /** The ONNX runtime's name for this platform ({@code linux-x64}, {@code osx-aarch64}...). */
    private static String onnxPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String archName = arch.startsWith("amd64") || arch.startsWith("x86_64")
                ? "x64"
                : arch.startsWith("aarch64") ? "aarch64" : arch;
        return osName + "-" + archName;
    }

    private static void removeOnnxTempDir() {
        try {
            Class<?> runtime =
                    Class.forName("ai.onnxruntime.OnnxRuntime", false, NativeLibraries.class.getClassLoader());
            Field field = runtime.getDeclaredField("tempDirectory");
            field.setAccessible(true);
            if (field.get(null) instanceof Path temp && Files.isDirectory(temp)) {
                try (Stream<Path> entries = Files.list(temp)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(temp);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | IOException | LinkageError e) {
            // no ONNX runtime here, or another version of it: nothing to tidy
        }
    }

    /** Directories {@code <service>-<pid>} of processes that no longer run. */
    private static void removeLeftovers(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                int dash = name.lastIndexOf('-');
                if (dash < 0 || !Files.isDirectory(entry)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(name.substring(dash + 1));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(entry);
                    }
                } catch (NumberFormatException notOurs) {
                    // not a per-process directory
                }
            }
        }
    }

    private static void restrict(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            // the next start removes it
        }
    }
}
