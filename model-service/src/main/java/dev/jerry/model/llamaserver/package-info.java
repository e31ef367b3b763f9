/** Upstream llama.cpp's {@code llama-server} as a supervised child process: finding or building it, running it. */
package dev.jerry.model.llamaserver;
