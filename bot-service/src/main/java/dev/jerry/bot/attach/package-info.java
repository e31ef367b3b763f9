/** Files users attach on Discord: downloaded from Discord's CDN and handed to agent-service for the conversation. */
package dev.jerry.bot.attach;
