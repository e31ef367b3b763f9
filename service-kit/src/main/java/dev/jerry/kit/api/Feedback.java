package dev.jerry.kit.api;

import java.time.Instant;

/**
 * One rating of one turn, with the turn: a line of the JSONL export.
 *
 * @param ratedBy the Discord user who clicked
 */
public record Feedback(String rating, String ratedBy, Instant ratedAt, TurnRecord turn) {}
