/** rag-service: retrieval over Chroma with citations. */
package dev.jerry.rag;
