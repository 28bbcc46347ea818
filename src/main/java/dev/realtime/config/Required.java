package dev.realtime.config;

import io.helidon.common.config.ConfigValue;

/**
 * Reads a setting whose default is in {@code application.yaml}, the one place defaults are written down.
 * {@link AppConfig} always adds that file, so a missing value means a configuration built without it.
 */
final class Required {
    private Required() {
    }

    /** @throws IllegalStateException naming the key, when it has no value */
    static <T> T value(ConfigValue<T> setting) {
        return setting.asOptional().orElseThrow(() -> new IllegalStateException(
                setting.key() + " has no value; its default is in application.yaml, which this configuration lacks"));
    }
}
