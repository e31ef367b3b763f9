/**
 * Distribution tasks: a model pulled onto chosen nodes (each node downloads from its own registry), one task per node
 * with its progress, listed and streamed to the console and the bot.
 */
package dev.jerry.model.tasks;
