/** Inference backends and the requests and results they share. */
package dev.jerry.model.backend;
