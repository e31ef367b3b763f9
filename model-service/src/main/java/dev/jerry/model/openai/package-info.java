/** Any OpenAI-compatible server as a backend. */
package dev.jerry.model.openai;
