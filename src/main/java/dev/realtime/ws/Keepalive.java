package dev.realtime.ws;

import java.lang.System.Logger.Level;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;

/**
 * Pings every session and drops the ones that did not answer the previous ping. Helidon tells a
 * listener nothing when a peer vanishes without a close frame, so this is also what keeps
 * {@link SessionRegistry} truthful about half-open connections. Run by a {@link PeriodicTask}.
 */
public final class Keepalive implements Runnable {
    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());

    private final SessionRegistry sessions;

    public Keepalive(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public void run() {
        for (ConnectedSession session : sessions.all()) {
            // A send blocks while the peer's window is full: one virtual thread per ping, so a stuck peer delays no one.
            Thread.ofVirtual().name("ws-ping-" + session.id()).start(() -> ping(session));
        }
    }

    private void ping(ConnectedSession session) {
        try {
            if (session.startPing()) {
                session.socket().ping(BufferData.empty());
                return;
            }
            LOG.log(Level.INFO, "Dropping session {0} (user {1}): no answer to the last ping", session.id(), session.user());
            sessions.remove(session);
            session.closeUnresponsive(WsCloseCodes.GOING_AWAY, "No pong");
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "Dropping session {0} (user {1}): {2}", session.id(), session.user(), e.getMessage());
            sessions.remove(session);
        }
    }
}
