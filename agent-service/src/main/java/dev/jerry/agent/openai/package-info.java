/** Jerry's agent served as OpenAI-compatible models: {@code /v1/models} and {@code /v1/chat/completions}. */
package dev.jerry.agent.openai;
