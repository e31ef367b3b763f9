/** The service-to-service HTTP client, its typed upstream failures and Server-Sent Events. */
package dev.jerry.kit.client;
