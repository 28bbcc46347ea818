package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

import io.helidon.common.Weighted;
import io.helidon.spi.HelidonShutdownHandler;
import io.helidon.websocket.WsCloseCodes;

/**
 * On SIGTERM, before the web server stops (its own handler has weight 100 and would cut sockets
 * without a close frame), tell every WebSocket client to go away (1001) and give them a bounded time.
 */
public final class DrainOnShutdown implements HelidonShutdownHandler, Weighted {
    private static final System.Logger LOG = System.getLogger(DrainOnShutdown.class.getName());

    private final SessionRegistry sessions;
    private final Duration timeout;

    /** @param timeout how long the clients get, all together, to answer their close frames */
    public DrainOnShutdown(SessionRegistry sessions, Duration timeout) {
        this.sessions = sessions;
        this.timeout = timeout;
    }

    @Override
    public void shutdown() {
        drain();
    }

    /**
     * Closes every session with 1001 (Going Away) and waits, at most the timeout, for the clients to answer
     * the close (each answer removes its session); connections that open meanwhile are sent away at once.
     *
     * @return the number of sessions still open when the wait ended
     */
    public int drain() {
        sessions.startDraining();
        List<ConnectedSession> open = sessions.all();
        LOG.log(Level.INFO, "Draining: closing " + open.size() + " WebSocket session(s) with 1001");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ConnectedSession session : open) {
            // A close frame per virtual thread: one waits behind a frame stuck on a peer that does not read,
            // and holds up only that peer's; the deadline bounds the whole drain.
            Thread.ofVirtual().name("ws-drain-" + session.id()).start(() -> {
                try {
                    session.closeWith(WsCloseCodes.GOING_AWAY, "Server shutting down");
                } catch (RuntimeException e) {
                    sessions.remove(session);
                }
            });
        }
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = sessions.size();
        LOG.log(left == 0 ? Level.INFO : Level.WARNING, "Drained; " + left + " session(s) did not answer the close in time");
        return left;
    }

    @Override
    public double weight() {
        return 1000;
    }
}
