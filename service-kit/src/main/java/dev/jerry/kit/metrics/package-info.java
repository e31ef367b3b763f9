/** The Prometheus registry every service exports. */
package dev.jerry.kit.metrics;
