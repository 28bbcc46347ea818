package dev.realtime.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;

/**
 * The service's certificate from the two PEM files an operator gets from a CA or cert-manager: the chain
 * ({@code TLS_CERT_FILE}, leaf first) and the leaf's private key ({@code TLS_KEY_FILE}; PKCS#8, or PKCS#1/SEC 1
 * as OpenSSL writes them). Checked before it is used: both readable, both PEM, and the key the certificate's
 * (a test signature), so that a mistake stops the start, or a reload, with a message that names it.
 *
 * @param tls         Helidon's server TLS for it
 * @param fingerprint the two files' contents, to tell when they change
 * @param description the certificate's subject and expiry, for the log
 */
public record ServerCertificate(Tls tls, String fingerprint, String description) {
    /**
     * @throws IllegalStateException naming the file and what is wrong with it
     */
    public static ServerCertificate load(Path certFile, Path keyFile) {
        byte[] cert = read(certFile, "TLS_CERT_FILE");
        byte[] key = read(keyFile, "TLS_KEY_FILE");
        Keys keys;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.certChain(Resource.create(certFile.toString(), cert))
                            .key(Resource.create(keyFile.toString(), key)))
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("TLS_CERT_FILE " + certFile + " or TLS_KEY_FILE " + keyFile
                                                    + " is not a PEM certificate or key: " + e.getMessage(), e);
        }
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw new IllegalStateException("TLS_CERT_FILE " + certFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey privateKey = keys.privateKey().orElseThrow(() -> new IllegalStateException(
                "TLS_KEY_FILE " + keyFile + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"));
        X509Certificate leaf = chain.getFirst();
        if (!belongTogether(privateKey, leaf.getPublicKey())) {
            throw new IllegalStateException("TLS_KEY_FILE " + keyFile + " is not the private key of the certificate in TLS_CERT_FILE "
                                                    + certFile + " (" + leaf.getSubjectX500Principal() + ")");
        }
        Tls tls = Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build();
        return new ServerCertificate(tls, fingerprint(cert, key),
                                     leaf.getSubjectX500Principal() + ", valid until " + leaf.getNotAfter().toInstant());
    }

    /** What {@link #fingerprint} would be for the files as they are now. */
    static String fingerprintOf(Path certFile, Path keyFile) {
        return fingerprint(read(certFile, "TLS_CERT_FILE"), read(keyFile, "TLS_KEY_FILE"));
    }

    private static byte[] read(Path file, String variable) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException(variable + " " + file + " cannot be read (" + e + ")", e);
        }
    }

    /** A signature made with the private key verifies with the certificate's public key. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IllegalStateException("TLS_KEY_FILE holds a " + privateKey.getAlgorithm()
                                                               + " key; RSA, EC or EdDSA keys are supported");
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key against an EC certificate
        }
    }

    private static String fingerprint(byte[] cert, byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(cert);
            digest.update(key);
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
