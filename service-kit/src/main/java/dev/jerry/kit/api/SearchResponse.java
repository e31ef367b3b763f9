package dev.jerry.kit.api;

import java.util.List;

/** The answer of {@code POST /v1/search}. */
public record SearchResponse(List<SearchResult> results, String embeddingModel, long tookMs) {}
