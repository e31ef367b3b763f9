/** bot-service: the Discord bot. */
package dev.jerry.bot;
