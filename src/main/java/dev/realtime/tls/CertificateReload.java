package dev.realtime.tls;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.helidon.webserver.WebServer;

/**
 * Serves a new certificate as soon as its files change (a renewal by cert-manager, certbot or a person), without a
 * restart: Helidon's {@link WebServer#reloadTls} swaps the key material for new connections, and connections already
 * open (WebSockets included) keep theirs. Run now and then on a timer; a change is acted on once, so a half-written
 * pair (a new certificate, the old key) is logged once and retried when the files change again, while the
 * certificate in use goes on being served.
 */
public final class CertificateReload implements Consumer<WebServer> {
    private static final System.Logger LOG = System.getLogger(CertificateReload.class.getName());

    private final Path certFile;
    private final Path keyFile;
    private final String socket;
    /** The files' contents last acted on (loaded, or refused). */
    private String seen;

    /**
     * @param socket  the server socket that serves TLS
     * @param current the certificate it was started with
     */
    public CertificateReload(Path certFile, Path keyFile, String socket, ServerCertificate current) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.socket = socket;
        this.seen = current.fingerprint();
    }

    @Override
    public void accept(WebServer server) {
        String now;
        try {
            now = ServerCertificate.fingerprintOf(certFile, keyFile);
        } catch (IllegalStateException e) {
            now = "unreadable: " + e.getMessage(); // e.g. between a rename and its replacement
        }
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            ServerCertificate certificate = ServerCertificate.load(certFile, keyFile);
            server.reloadTls(socket, certificate.tls());
            seen = certificate.fingerprint();
            LOG.log(Level.INFO, "TLS certificate reloaded from {0}: {1}", certFile, certificate.description());
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "TLS certificate not reloaded, the previous one is still served: {0}", e.getMessage());
        }
    }
}
