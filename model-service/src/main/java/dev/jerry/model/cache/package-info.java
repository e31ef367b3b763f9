/** The semantic cache: repeated questions answered without inference, never with a wrong answer. */
package dev.jerry.model.cache;
