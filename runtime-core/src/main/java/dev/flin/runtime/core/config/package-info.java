/**
 * One configuration layer for the runtime, the HTTP server and the services built on them: typed
 * {@link dev.flin.runtime.core.config.Setting} declarations gathered into groups in a
 * {@link dev.flin.runtime.core.config.Settings} registry, read from command-line flags, system
 * properties, environment variables and an optional properties file (highest first), with one help
 * text, suggestions for unknown flags and {@code --version}. Dependency-free: the JDK only.
 *
 * <p>Threading: every type here is an immutable value, safe to share; parsing is a pure function
 * of its inputs and may run on any thread.
 */
package dev.flin.runtime.core.config;
