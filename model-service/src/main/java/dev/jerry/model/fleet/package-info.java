/** The fleet of Ollama nodes: configured and registered nodes, their health and load, and routing among them. */
package dev.jerry.model.fleet;
