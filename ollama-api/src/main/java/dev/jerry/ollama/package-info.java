/** Ollama's HTTP API as records, read and written the same way by the server routes, the client and the test double. */
package dev.jerry.ollama;
