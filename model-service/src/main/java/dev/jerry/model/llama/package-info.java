/** The in-process llama.cpp backend. */
package dev.jerry.model.llama;
