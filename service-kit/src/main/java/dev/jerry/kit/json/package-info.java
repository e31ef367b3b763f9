/** The one JSON configuration of the contracts. */
package dev.jerry.kit.json;
