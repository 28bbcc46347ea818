package dev.realtime.history;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where positioned messages are published (centrifuge's broker): it gives a message the next offset of
 * its stream, keeps it in the stream's history, and hands it to the {@link #onPublication handler} of
 * every instance, this one's included, in offset order per stream. It also answers resumes.
 * <p>
 * Callers serialize publishing to one stream on an instance (the hub publishes under the stream's lock).
 */
public interface Broker {
    /** Where every publication goes, on this instance (set once, before anything is published). */
    void onPublication(Consumer<Publication> handler);

    /**
     * Publishes without making the caller wait for a shared store's round trip (publications of one caller keep
     * their order).
     *
     * @return completes with the publication and whether it went to every instance and into the shared history;
     *         when not (the shared store is down), it was positioned in this instance's own fallback history and
     *         reached this instance's sessions only
     */
    CompletableFuture<Published> publish(String stream, String from, JsonNode payload);

    /** The stream's last position; {@link #UNAVAILABLE_EPOCH} and 0 if the history cannot be read now. */
    Position top(String stream);

    /** Everything in the stream after {@code since}, oldest first, or why not. */
    Replay after(Position since);

    /** The epoch of a position that could not be read ({@code history_unavailable}). */
    String UNAVAILABLE_EPOCH = "";

    /**
     * @param shared        false when only this instance got it (degraded)
     * @param deliveredHere whether this instance's sessions had it before the stage completed (else it comes back later)
     */
    record Published(Publication publication, boolean shared, boolean deliveredHere) {
    }
}
