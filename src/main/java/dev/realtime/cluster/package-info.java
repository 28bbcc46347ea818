/**
 * How instances of the service reach each other's sessions: the {@link dev.realtime.cluster.Backplane}
 * (presence of sessions, presence events, the view of the other instances), with no backplane at all on one
 * instance ({@link dev.realtime.cluster.SingleInstance}) or Redis ({@link dev.realtime.cluster.RedisBackplane}:
 * {@code RedisBus}, {@code RedisPresence}, {@code RedisConnection}), and the history broker on Redis Streams
 * ({@link dev.realtime.cluster.RedisBroker}).
 * <p>
 * Speaks value types ({@link dev.realtime.cluster.SessionInfo}, {@link dev.realtime.cluster.ClusterMessage});
 * it sees this instance's sessions through {@link dev.realtime.cluster.LocalSessions} only, which the session
 * registry implements. May use: {@code config}, {@code contract}, {@code history}, {@code metrics}.
 */
package dev.realtime.cluster;
