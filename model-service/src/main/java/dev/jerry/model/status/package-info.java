/** {@code GET /v1/status}: models, backends, queues and cache in one typed answer (what {@code /jerry-status} shows). */
package dev.jerry.model.status;
