/** Conversation memory: users, conversations and their turns, persisted through JDBC. */
package dev.jerry.agent.memory;
