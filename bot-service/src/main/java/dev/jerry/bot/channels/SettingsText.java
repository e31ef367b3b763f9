package dev.jerry.bot.channels;

import dev.jerry.kit.api.EffectiveSettings;
import java.util.List;

/** How settings read on Discord: each value and where it comes from. */
public final class SettingsText {
    private SettingsText() {}

    /** {@code #name} for a channel or thread, {@code the category NAME} for a category. */
    public static String where(Place.Scope scope) {
        return switch (scope.kind()) {
            case "category" -> "the category " + scope.name();
            case "thread" -> "the thread " + scope.name();
            default -> "#" + scope.name();
        };
    }

    /** The effective settings of a place, one line each, with their source. */
    public static String show(Place place, EffectiveSettings settings) {
        StringBuilder text = new StringBuilder("**Jerry's settings here**\n");
        line(text, place, "persona", settings.persona());
        line(text, place, "model", settings.model());
        line(text, place, "collection", settings.collection());
        line(text, place, "thread_default", settings.threadDefault());
        line(text, place, "cache", settings.cache());
        line(text, place, "allowed_models", settings.allowedModels());
        return text.toString().strip();
    }

    private static void line(StringBuilder text, Place place, String name, EffectiveSettings.Value<?> value) {
        Object v = value.value();
        String shown = v == null
                ? "(rag-service's default)"
                : v instanceof List<?> list
                        ? (list.isEmpty()
                                ? "(none)"
                                : String.join(
                                        ", ", list.stream().map(String::valueOf).toList()))
                        : String.valueOf(v);
        text.append("- ")
                .append(name)
                .append(": `")
                .append(shown)
                .append("` ← ")
                .append(source(place, value))
                .append('\n');
    }

    private static String source(Place place, EffectiveSettings.Value<?> value) {
        if (value.scope() == null || value.from().equals("default")) {
            return "default";
        }
        if (value.from().equals("user")) {
            return "your own pick";
        }
        return place.chain().stream()
                .filter(s -> String.valueOf(s.id()).equals(value.scope()))
                .findFirst()
                .map(SettingsText::where)
                .orElse(value.from() + " " + value.scope());
    }
}
