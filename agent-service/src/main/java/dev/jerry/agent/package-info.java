/** agent-service: the LangChain4j agent with its tools, memory and personas. */
package dev.jerry.agent;
