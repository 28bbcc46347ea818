package dev.realtime.history;

import java.util.List;

/** The answer to "what came after this position": the messages, oldest first, or why they cannot be had. */
public sealed interface Replay {
    /** Every message after the position, none missing. */
    record Recovered(List<Publication> missed) implements Replay {
    }

    record NotRecovered(Reason reason) implements Replay {
    }

    /** Why a stream cannot be recovered (the spec's {@code Recovery.streams[].reason}). */
    enum Reason {
        /** The history no longer reaches back to the position (bounded by count and age). */
        TOO_OLD,
        /** The position is from another epoch: the history it belonged to was lost. */
        EPOCH_CHANGED,
        /** The history cannot be read now (the shared store is down). */
        HISTORY_UNAVAILABLE;

        /** As {@code welcome.recovery} says it (asyncapi.yaml). */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
