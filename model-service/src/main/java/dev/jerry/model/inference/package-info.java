/** Routing requests to backends and accounting for what they cost. */
package dev.jerry.model.inference;
