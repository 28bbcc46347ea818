/**
 * Abuse limits: connection caps ({@link dev.realtime.limits.ConnectionLimits}, over a narrow
 * {@link dev.realtime.limits.OpenConnections} view), the message rate of a connection, the login throttles
 * and lockouts. Token buckets are Bucket4j's.
 * <p>
 * May use: {@code auth}, {@code config}, {@code contract}.
 */
package dev.realtime.limits;
