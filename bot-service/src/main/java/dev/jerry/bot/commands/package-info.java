/** The slash commands, one {@code final} class each, registered from one list in the composition root. */
package dev.jerry.bot.commands;
