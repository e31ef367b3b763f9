/** Text embeddings for the cache, rag-service and the ingestion job. */
package dev.jerry.model.embedding;
