/** Fair, bounded queues in front of the backends. */
package dev.jerry.model.queue;
