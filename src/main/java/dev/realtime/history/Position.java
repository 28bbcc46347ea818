package dev.realtime.history;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in a stream: the message at {@code offset} (0: before the first) in the stream's {@code epoch}.
 * Written {@code <stream>:<epoch>:<offset>} in a resume request; the stream itself may contain colons
 * (user names can), the epoch and the offset cannot.
 */
public record Position(String stream, String epoch, long offset) {
    private static final Pattern WRITTEN = Pattern.compile("^(broadcast|user:.+):([A-Za-z0-9_-]{1,64}):([0-9]{1,18})$");

    /** @return the position written as {@code <stream>:<epoch>:<offset>}, or empty if it is not one */
    public static Optional<Position> parse(String written) {
        Matcher m = WRITTEN.matcher(written);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Position(m.group(1), m.group(2), Long.parseLong(m.group(3))));
    }
}
