/** Typed configuration from JERRY_* environment variables and secret files. */
package dev.jerry.kit.config;
