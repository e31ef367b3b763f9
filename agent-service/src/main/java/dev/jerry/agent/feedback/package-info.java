/** Each finished turn's record (model, cache hit, sources) and the 👍/👎 people give it; listed and exported. */
package dev.jerry.agent.feedback;
