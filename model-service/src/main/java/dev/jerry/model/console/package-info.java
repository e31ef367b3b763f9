/** {@code /console}: the admin page (static files in the jar) over model-service's own API. */
package dev.jerry.model.console;
