/** What can go wrong in a service, in its own terms; only {@link dev.jerry.kit.http.ServiceApp} turns it into HTTP. */
package dev.jerry.kit.error;
