package dev.jerry.kit.api;

/** One retrieved chunk with what is needed to cite it. */
public record SearchResult(String chunkId, String text, double score, String source, int page, String title) {}
