/** Readiness checks with their own timeouts. */
package dev.jerry.kit.health;
