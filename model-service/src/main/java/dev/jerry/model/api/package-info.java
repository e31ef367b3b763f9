/** The HTTP APIs of model-service: its own, and the Ollama- and OpenAI-compatible ones. */
package dev.jerry.model.api;
