/** Per-channel settings, model choice, feedback buttons and the shared request counters, kept by agent-service. */
package dev.jerry.bot.channels;
