package dev.jerry.model.placement;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.model.download.Preset;
import dev.jerry.model.download.Presets;
import dev.jerry.ollama.ModelName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The models a node should hold, by its VRAM: a node gets the models of the highest tier whose minimum its VRAM
 * reaches. {@code JERRY_PLACEMENT_TIERS} sets the tiers ({@code GIB=model+model,...}, or {@code off}); by default they
 * are the product's model presets, each preset's Ollama tag from its {@code min_memory_gb}.
 */
public record TierTable(List<Tier> tiers) {
    public static final String VARIABLE = "JERRY_PLACEMENT_TIERS";
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** From {@code minVramGib} of VRAM on, a node should hold {@code models}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tier(double minVramGib, List<String> models) {
        public Tier {
            models = List.copyOf(models);
        }
    }

    public TierTable {
        tiers = tiers.stream()
                .sorted(Comparator.comparingDouble(Tier::minVramGib))
                .toList();
    }

    public static TierTable off() {
        return new TierTable(List.of());
    }

    /** One tier per preset that has an Ollama tag, from the preset's memory minimum. */
    public static TierTable ofPresets(Presets presets) {
        List<Tier> tiers = new ArrayList<>();
        for (Preset preset : presets.all()) {
            if (preset.ollamaTag() != null && !preset.ollamaTag().isBlank()) {
                tiers.add(new Tier(preset.minMemoryGb(), List.of(preset.ollamaTag())));
            }
        }
        return new TierTable(tiers);
    }

    public static TierTable fromEnv(Env env) {
        Optional<String> raw = env.get(VARIABLE);
        if (raw.isEmpty()) {
            return ofPresets(Presets.shipped());
        }
        return parse(raw.get());
    }

    /** {@code off}, or tiers like {@code 0=llama3.2:1b,6=llama3.2:3b,12=llama3.1:8b+qwen2.5:7b}. */
    static TierTable parse(String text) {
        if (text.strip().equalsIgnoreCase("off")) {
            return off();
        }
        List<Tier> tiers = new ArrayList<>();
        for (String entry : text.split(",")) {
            String tier = entry.strip();
            if (tier.isEmpty()) {
                continue;
            }
            int equals = tier.indexOf('=');
            if (equals < 0) {
                throw new ConfigException(
                        VARIABLE, "each tier must look like GIB=model+model (e.g. 8=llama3.1:8b), got '" + tier + "'");
            }
            double gib;
            try {
                gib = Double.parseDouble(tier.substring(0, equals).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        VARIABLE, "'" + tier.substring(0, equals).strip() + "' is not a number of GiB");
            }
            if (gib < 0) {
                throw new ConfigException(VARIABLE, "a tier's VRAM cannot be negative, got " + gib);
            }
            List<String> models = Arrays.stream(tier.substring(equals + 1).split("\\+"))
                    .map(String::strip)
                    .filter(m -> !m.isEmpty())
                    .toList();
            for (String model : models) {
                ModelName.problem(model).ifPresent(problem -> {
                    throw new ConfigException(VARIABLE, problem);
                });
            }
            if (models.isEmpty()) {
                throw new ConfigException(VARIABLE, "the tier from " + gib + " GiB names no model");
            }
            tiers.add(new Tier(gib, models));
        }
        return new TierTable(tiers);
    }

    /** The models for a node with this much VRAM; none when its VRAM is unknown or below every tier. */
    public List<String> modelsFor(OptionalLong vramBytes) {
        if (vramBytes.isEmpty()) {
            return List.of();
        }
        double gib = vramBytes.getAsLong() / GIB;
        return tiers.stream()
                .filter(t -> t.minVramGib() <= gib)
                .reduce((lower, higher) -> higher)
                .map(Tier::models)
                .orElse(List.of());
    }
}
