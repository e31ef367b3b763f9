/** Conversations of Discord's shapes: mentions and reply chains, and threads Jerry opens. */
package dev.jerry.bot.conversations;
