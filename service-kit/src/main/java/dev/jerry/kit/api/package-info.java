/** The JSON records of the contracts between services. */
package dev.jerry.kit.api;
