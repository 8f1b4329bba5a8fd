package io.kemu.apiserver.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the API server from PEM files, with JDK classes only.
 *
 * <p>A context holds keys and trust; protocol versions and client-certificate requests are per
 * connection settings in the JDK, so apply {@link #serverParameters(SSLContext)} to each server socket
 * or engine ({@link #newServerEngine(SSLContext)} does it, e.g. for Pekko HTTP's
 * {@code ConnectionContext.httpsServer(() -> ServerTls.newServerEngine(ctx))}).
 */
public final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    /** Protocol versions offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final char[] IN_MEMORY_PASSWORD = "kemu".toCharArray();

    private ServerTls() {
    }

    /**
     * A server context.
     *
     * @param certPem the serving certificate, optionally followed by its intermediates (leaf first)
     * @param keyPem the serving certificate's unencrypted PKCS#8 private key (RSA or EC)
     * @param caPem the CA(s) whose client certificates are accepted (kube-apiserver's
     *     {@code --client-ca-file}); a client certificate that does not chain to one of them fails the
     *     handshake, a client without a certificate is let through when client auth is only "wanted"
     */
    public static SSLContext serverContext(Path certPem, Path keyPem, Path caPem)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Pem.readCertificates(certPem);
        PrivateKey key = Pem.readPrivateKey(keyPem);
        X509Certificate leaf = chain.get(0);
        if (!Pem.keyMatches(key, leaf.getPublicKey())) {
            throw new GeneralSecurityException(keyPem + " is not the private key of the certificate in " + certPem
                    + " (" + leaf.getSubjectX500Principal() + ")");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            log.warn("serving certificate {} is outside its validity ({} .. {}): clients will refuse it",
                    certPem, leaf.getNotBefore(), leaf.getNotAfter());
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, IN_MEMORY_PASSWORD);

        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trustManagers(caPem).getTrustManagers(), new SecureRandom());
        return ctx;
    }

    /** A client context that trusts only the CA(s) in {@code caPem} and presents no certificate. */
    public static SSLContext clientContext(Path caPem) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustManagers(caPem).getTrustManagers(), new SecureRandom());
        return ctx;
    }

    /** A client context that trusts only the CA(s) in {@code caPem} and presents a client certificate. */
    public static SSLContext clientContext(Path caPem, Path clientCertPem, Path clientKeyPem)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Pem.readCertificates(clientCertPem);
        PrivateKey key = Pem.readPrivateKey(clientKeyPem);
        if (!Pem.keyMatches(key, chain.get(0).getPublicKey())) {
            throw new GeneralSecurityException(clientKeyPem + " is not the private key of " + clientCertPem);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, IN_MEMORY_PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trustManagers(caPem).getTrustManagers(), new SecureRandom());
        return ctx;
    }

    /** Server settings: TLS 1.3 and 1.2 only, client certificate requested but not required. */
    public static SSLParameters serverParameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(protocols(ctx));
        p.setWantClientAuth(true);
        return p;
    }

    /**
     * Client settings: TLS 1.3 and 1.2 only, and the server's certificate must name the host the client
     * connected to (HTTPS rules: IP addresses against IP SANs, names against DNS SANs).
     */
    public static SSLParameters clientParameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(protocols(ctx));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** A server-mode engine with {@link #serverParameters(SSLContext)}. */
    public static SSLEngine newServerEngine(SSLContext ctx) {
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(serverParameters(ctx));
        return engine;
    }

    /** The user (CN) and groups (O) of the client certificate of a handshaken session, if any. */
    public static Optional<ClientCertUser> clientUser(SSLSession session) {
        return ClientCertUser.of(session);
    }

    /** The user (CN) and groups (O) of a certificate, if it has a CN. */
    public static Optional<ClientCertUser> clientUser(X509Certificate cert) {
        return ClientCertUser.of(cert);
    }

    private static String[] protocols(SSLContext ctx) {
        List<String> supported = Arrays.asList(ctx.getSupportedSSLParameters().getProtocols());
        return PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
    }

    private static TrustManagerFactory trustManagers(Path caPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> cas = Pem.readCertificates(caPem);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            X509Certificate ca = cas.get(i);
            if (ca.getBasicConstraints() < 0) {
                log.warn("{}: certificate {} ({}) is not a CA certificate", caPem, i + 1, ca.getSubjectX500Principal());
            }
            trust.setCertificateEntry("ca-" + i, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        return tmf;
    }
}
