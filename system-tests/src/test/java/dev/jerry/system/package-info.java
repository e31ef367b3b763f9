/**
 * Checks across the repository that no single module owns: the compose stack, the Containerfile, monitoring
 * configuration, the {@code JERRY_*} variables against the README, ports across code and docs.
 */
package dev.jerry.system;
