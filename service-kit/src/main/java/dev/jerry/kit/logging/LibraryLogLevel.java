package dev.jerry.kit.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The level of every logger that is not Jerry's (PDFBox, DJL, Jetty, JDA, ...), for logback.xml: errors only by
 * default, because their warnings (font mappings, GPU probes, tokenizer defaults) mean nothing to a user and Jerry
 * says what matters in its own words. {@code JERRY_LOG_LEVEL=DEBUG} lets their warnings through, {@code TRACE} their
 * debug output.
 */
public final class LibraryLogLevel extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return forJerryLevel(System.getenv("JERRY_LOG_LEVEL"));
    }

    static String forJerryLevel(String jerryLevel) {
        return switch (jerryLevel == null ? "" : jerryLevel.strip().toUpperCase(Locale.ROOT)) {
            case "DEBUG" -> "WARN";
            case "TRACE", "ALL" -> "DEBUG";
            default -> "ERROR";
        };
    }
}
