/**
 * The configuration: {@link dev.realtime.config.AppConfig} reads {@code application.yaml}, the optional
 * {@code CONFIG_FILE} and the environment overrides (the README's table), and one settings record per concern
 * reads and validates its part, failing the start with a message that names the setting.
 * <p>
 * May use: no other package of the service.
 */
package dev.realtime.config;
