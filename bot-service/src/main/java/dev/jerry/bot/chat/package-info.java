/** {@code ./jerry chat}: a conversation with agent-service from a terminal, shown the way the bot shows it. */
package dev.jerry.bot.chat;
