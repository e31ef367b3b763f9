/** The agent: a LangChain4j AI service with tools, over the conversation memory. */
package dev.jerry.agent.chat;
