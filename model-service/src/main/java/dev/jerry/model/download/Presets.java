package dev.jerry.model.download;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The model presets shipped in {@code configs/models/presets.json}, and the choice of one for this machine. */
public final class Presets {
    public static final String RESOURCE = "/presets.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(List<Preset> presets) {}

    private final List<Preset> presets;

    public Presets(List<Preset> presets) {
        this.presets = List.copyOf(presets);
    }

    public static Presets shipped() {
        try (InputStream in = Presets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the model-service jar");
            }
            return new Presets(Json.mapper().readValue(in, File.class).presets());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model presets", e);
        }
    }

    public List<Preset> all() {
        return presets;
    }

    public Optional<Preset> named(String name) {
        return presets.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The largest pinned preset that the memory allows, or the smallest pinned one when none fits. */
    public Preset chooseFor(long memoryBytes) {
        double gb = memoryBytes / 1e9;
        List<Preset> pinned = presets.stream().filter(Preset::pinned).toList();
        if (pinned.isEmpty()) {
            throw new IllegalStateException("no preset has a pinned sha256");
        }
        return pinned.stream()
                .filter(p -> p.minMemoryGb() <= gb)
                .max(Comparator.comparingDouble(Preset::minMemoryGb))
                .orElseGet(() -> pinned.stream()
                        .min(Comparator.comparingDouble(Preset::minMemoryGb))
                        .orElseThrow());
    }

    /** The physical memory of this machine (or container limit, as the JVM sees it). */
    public static long machineMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
