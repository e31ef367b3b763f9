/** The lexical side of retrieval: a Lucene BM25 index derived from a Chroma collection, never its own truth. */
package dev.jerry.knowledge.lexical;
