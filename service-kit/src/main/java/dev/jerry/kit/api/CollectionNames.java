package dev.jerry.kit.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a client may call a knowledge-base collection. Names under {@link #ATTACHMENTS_PREFIX} are reserved: they are
 * agent-service's per-conversation attachment collections, and their names derive from conversation ids that anyone
 * can guess ({@code dm:<user id>}), so no route that takes a collection name from a person or a client may reach
 * them; only agent-service's own attachment code does, for the conversation of the turn.
 */
public final class CollectionNames {
    /** The prefix of agent-service's attachment ("scratch") collections. */
    public static final String ATTACHMENTS_PREFIX = "scratch-";

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private CollectionNames() {}

    /** True for a name under the attachments' prefix, in any letter case. */
    public static boolean reserved(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).startsWith(ATTACHMENTS_PREFIX);
    }

    /** Why a client may not name {@code name}, as the end of a sentence that starts with the field's name. */
    public static String reservedReason(String name) {
        return "may not start with '" + ATTACHMENTS_PREFIX + "', which is reserved for the attachments of "
                + "conversations (each conversation's files reach only that conversation), got '" + clip(name) + "'";
    }

    /**
     * What is wrong with {@code name} as a collection named by a client in field {@code field} (letters, digits,
     * {@code . _ -}, at most 100, not reserved); empty when nothing is.
     */
    public static Optional<String> problem(String field, String name) {
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of("field '" + field + "' must be letters, digits, '.', '_' or '-' (at most 100), got '"
                    + clip(name) + "'");
        }
        return reserved(name) ? Optional.of("field '" + field + "' " + reservedReason(name)) : Optional.empty();
    }

    private static String clip(String name) {
        return name.length() > 120 ? name.substring(0, 120) + "..." : name;
    }
}
