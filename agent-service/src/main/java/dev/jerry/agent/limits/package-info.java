/** Per-user rate limits and daily quotas counted in the agent's database, shared by every bot process. */
package dev.jerry.agent.limits;
