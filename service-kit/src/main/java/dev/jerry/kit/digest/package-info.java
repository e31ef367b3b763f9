/** SHA-256 digests, the one hash Jerry uses for ids, tokens, cache keys and files. */
package dev.jerry.kit.digest;
