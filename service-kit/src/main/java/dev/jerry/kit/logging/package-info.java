/** Logging set-up shared by every service and the CLI: Jerry's own loggers speak, libraries stay quiet. */
package dev.jerry.kit.logging;
