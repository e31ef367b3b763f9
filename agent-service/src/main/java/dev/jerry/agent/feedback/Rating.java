package dev.jerry.agent.feedback;

import dev.jerry.kit.error.ServiceException;
import java.util.Locale;

/** A thumbs up or down. */
public enum Rating {
    UP,
    DOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Rating of(String field, String text) {
        if ("up".equals(text)) {
            return UP;
        }
        if ("down".equals(text)) {
            return DOWN;
        }
        throw new ServiceException.BadInput(field, "field '" + field + "' must be 'up' or 'down', got '" + text + "'");
    }
}
