/** The knowledge base in Chroma: collections bound to an embedding model, chunks with citations, retrieval. */
package dev.jerry.knowledge;
