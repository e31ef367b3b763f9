/** Ollama nodes as backends: chat, model listing, and pulls of missing models. */
package dev.jerry.model.ollama;
