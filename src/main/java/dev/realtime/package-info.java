/**
 * The composition root: {@link dev.realtime.RealtimeService} builds every part of the service from its
 * configuration and puts it on a Helidon web server; {@link dev.realtime.Main} reads the configuration and
 * starts it (or runs the contract verifier). Nothing else in the service uses this package.
 * <p>
 * May use: every package of the service. The layers below, each using only those under it:
 * {@code config}, {@code contract}, {@code metrics}, {@code tls}, {@code ws.protocol} (no dependencies);
 * {@code history}, {@code auth}; {@code limits}; {@code cluster}; {@code ws}; {@code http}; and {@code verify}
 * apart, on {@code contract} only. {@code ArchitectureTest} enforces these rules on the compiled classes.
 */
package dev.realtime;
