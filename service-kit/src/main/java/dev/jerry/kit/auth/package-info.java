/** Bearer-token authentication of named callers. */
package dev.jerry.kit.auth;
