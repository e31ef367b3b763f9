/** The Javalin app factory: errors, request ids, auth, health and metrics routes, and the service main. */
package dev.jerry.kit.http;
