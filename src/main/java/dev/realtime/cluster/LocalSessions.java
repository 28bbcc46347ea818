package dev.realtime.cluster;

import java.util.List;

/** This instance's open sessions, as the backplane reports them in presence (the session registry provides them). */
@FunctionalInterface
public interface LocalSessions {
    /** A snapshot of the sessions open now. */
    List<SessionInfo> present();
}
