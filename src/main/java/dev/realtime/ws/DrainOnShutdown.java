package dev.realtime.ws;

import java.time.Duration;

import io.helidon.common.Weighted;
import io.helidon.spi.HelidonShutdownHandler;

/**
 * On SIGTERM, before the web server stops (its own handler has weight 100 and would cut sockets
 * without a close frame), tell every WebSocket client to go away (1001) and give them a bounded time.
 */
public final class DrainOnShutdown implements HelidonShutdownHandler, Weighted {
    private final SessionRegistry sessions;
    private final Duration timeout;

    public DrainOnShutdown(SessionRegistry sessions, Duration timeout) {
        this.sessions = sessions;
        this.timeout = timeout;
    }

    @Override
    public void shutdown() {
        sessions.drain(timeout);
    }

    @Override
    public double weight() {
        return 1000;
    }
}
