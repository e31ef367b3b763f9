/** Files attached to a conversation: read into its scratch collection in Chroma, searched with it, removed with it. */
package dev.jerry.agent.attach;
