/** Per-channel settings: persona, model, collection, thread default and cache for a category, channel or thread. */
package dev.jerry.agent.settings;
