package dev.realtime.ws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.helidon.http.HttpPrologue;

import dev.realtime.auth.Identity;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.history.History;
import dev.realtime.history.Position;

/**
 * The positions a reconnecting client names in the upgrade's {@code since} query parameters, checked
 * before the connection is upgraded: only the broadcast stream and the user's own stream, each at most once.
 */
final class ResumeRequest {
    private ResumeRequest() {
    }

    /**
     * @return the positions to resume from (empty: a fresh session)
     * @throws ApiException {@code validation_failed} for a value that is not a position or a stream named twice,
     *                      {@code forbidden} for another user's stream
     */
    static List<Position> of(HttpPrologue prologue, Identity identity) {
        var query = prologue.query();
        if (!query.contains("since")) {
            return List.of();
        }
        String own = History.userStream(identity.user());
        List<Position> positions = new ArrayList<>();
        Set<String> streams = new HashSet<>();
        for (String written : query.all("since")) {
            Position position = Position.parse(written).orElseThrow(() -> new ApiException(
                    ErrorCode.VALIDATION_FAILED, "'since' must be <stream>:<epoch>:<offset>, e.g. broadcast:k3x9q:41."));
            if (!position.stream().equals(History.BROADCAST) && !position.stream().equals(own)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "A session may resume only the 'broadcast' stream and '" + own
                        + "', not '" + position.stream() + "'.");
            }
            if (!streams.add(position.stream())) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "'since' names '" + position.stream() + "' twice.");
            }
            positions.add(position);
        }
        return positions;
    }
}
