package dev.jerry.model.cache;

import java.util.Locale;

/** Why a similar cached question was not served: what differs between it and the question asked. */
public enum Difference {
    /** One question is negated and the other is not ("why does it start" / "why does it not start"). */
    NEGATION,
    /** A number, a number word or a version differs. */
    NUMBER,
    /** Text in quotes differs. */
    QUOTED,
    /** A code token, a path, a file name or a command-line flag differs. */
    CODE,
    /** A name differs (a place, a product, a person). */
    ENTITY,
    /** The same words play other roles: "from A to B" and "from B to A", "A sues B" and "B sues A". */
    DIRECTION,
    /** A word was swapped for its opposite (WordNet antonyms, or un-/dis- forms). */
    ANTONYM,
    /** A word that places the question in time or sequence differs (yesterday, before, first). */
    TIME,
    /** A qualifier or quantifier was added, dropped or changed (all files, hidden files). */
    SCOPE,
    /** Any other content word differs and is neither an inflection, a filler nor a synonym. */
    WORD;

    public String label() {
        return "rejected:" + name().toLowerCase(Locale.ROOT);
    }
}
