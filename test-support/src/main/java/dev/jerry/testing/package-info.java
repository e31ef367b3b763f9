/** Harness for tests against real parts: a real Chroma server per test JVM and a tiny generated LLaMA GGUF. */
package dev.jerry.testing;
