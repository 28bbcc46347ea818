package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;

import io.helidon.websocket.WsCloseCodes;

/**
 * Pings every session once per ping interval and drops the ones that did not answer the previous ping:
 * how peers that vanished without a close frame, or stopped reading, are found. The sessions are spread
 * over {@link #SLOTS} slots by id and one slot is pinged per run (the task runs {@code SLOTS} times per
 * interval), so 10,000 sessions cost about 600 pings at a time, not 10,000 writes in one burst that would
 * hold up every other message on a small machine. Run by a {@link PeriodicTask} every {@link #tick}.
 */
public final class Keepalive implements Runnable {
    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());
    private static final int SLOTS = 16;

    private final SessionRegistry sessions;
    private int round;

    /** @param sessions whom to ping */
    public Keepalive(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /** How often the task runs for every session to be pinged once per {@code pingInterval}. */
    public static Duration tick(Duration pingInterval) {
        return pingInterval.dividedBy(SLOTS);
    }

    @Override
    public void run() {
        int slot = Math.floorMod(round++, SLOTS);
        for (ConnectedSession session : sessions.all()) {
            if (Math.floorMod(session.id().hashCode(), SLOTS) == slot) {
                // A send blocks while the peer's window is full: one virtual thread per ping, so a stuck peer delays no one.
                Thread.ofVirtual().name("ws-ping-" + session.id()).start(() -> ping(session));
            }
        }
    }

    private void ping(ConnectedSession session) {
        try {
            if (session.startPing()) {
                session.ping();
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
