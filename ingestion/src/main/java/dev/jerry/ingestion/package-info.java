/** The ingestion job: documents to chunks to embeddings to Chroma. */
package dev.jerry.ingestion;
