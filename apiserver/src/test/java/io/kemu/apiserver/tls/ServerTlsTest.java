package io.kemu.apiserver.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;

class ServerTlsTest {

    static Path fixture(String name) {
        try {
            return Path.of(ServerTlsTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture " + name, e);
        }
    }

    static final Path CA = fixture("ca.crt");

    /** What the server side of one connection saw. */
    record ServerSide(String protocol, Optional<ClientCertUser> user, Throwable failure) {
    }

    /** What the client side saw. */
    record Result(ServerSide server, SSLSession clientSession, String reply) {
    }

    /**
     * Serves one TLS connection on 127.0.0.1 (ephemeral port) with the given server context, connects
     * with the client context (verifying the host name {@code verifyHost}), reads one line.
     */
    static Result handshake(SSLContext serverCtx, SSLContext clientCtx, String verifyHost,
            String... clientProtocols) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            server.setSSLParameters(ServerTls.serverParameters(serverCtx));
            server.setSoTimeout(10_000);
            CompletableFuture<ServerSide> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    SSLSession session = s.getSession();
                    OutputStream out = s.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return new ServerSide(session.getProtocol(), ServerTls.clientUser(session), null);
                } catch (IOException e) {
                    return new ServerSide(null, Optional.empty(), e);
                }
            });
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(loopback, server.getLocalPort()), 10_000);
            plain.setSoTimeout(10_000);
            // layered over a plain socket so that the name checked against the certificate can be chosen
            SSLSession clientSession;
            String reply;
            // the client socket is closed before the server side is awaited: with TLS 1.3 the server's
            // close() waits for the peer's close_notify
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory()
                    .createSocket(plain, verifyHost, server.getLocalPort(), true)) {
                SSLParameters p = ServerTls.clientParameters(clientCtx);
                if (clientProtocols.length > 0) {
                    p.setProtocols(clientProtocols);
                }
                client.setSSLParameters(p);
                client.startHandshake();
                reply = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                clientSession = client.getSession();
            } catch (IOException e) {
                throw new HandshakeFailed(e, serverSide.get(10, TimeUnit.SECONDS));
            }
            return new Result(serverSide.get(10, TimeUnit.SECONDS), clientSession, reply);
        }
    }

    static final class HandshakeFailed extends Exception {
        final ServerSide server;

        HandshakeFailed(IOException cause, ServerSide server) {
            super(cause);
            this.server = server;
        }
    }

    static SSLContext server(String name) throws Exception {
        return ServerTls.serverContext(fixture(name + ".crt"), fixture(name + ".key"), CA);
    }

    @Test
    void ecServerHandshakeVerifiesIp() throws Exception {
        Result r = handshake(server("server-ec"), ServerTls.clientContext(CA), "127.0.0.1");
        assertEquals("hello", r.reply());
        assertTrue(ServerTls.PROTOCOLS.contains(r.clientSession().getProtocol()));
        X509Certificate leaf = (X509Certificate) r.clientSession().getPeerCertificates()[0];
        assertEquals("CN=fixture-server", leaf.getSubjectX500Principal().getName());
        assertEquals("TLSv1.3", r.server().protocol());
        assertEquals(Optional.empty(), r.server().user(), "no client certificate was sent");
    }

    @Test
    void rsaServerHandshake() throws Exception {
        Result r = handshake(server("server-rsa"), ServerTls.clientContext(CA), "localhost");
        assertEquals("hello", r.reply());
        assertEquals("RSA", r.clientSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
    }

    @Test
    void tls12StillAccepted() throws Exception {
        Result r = handshake(server("server-ec"), ServerTls.clientContext(CA), "127.0.0.1", "TLSv1.2");
        assertEquals("TLSv1.2", r.server().protocol());
    }

    @Test
    void chainFileIsServedWhole() throws Exception {
        SSLContext ctx = ServerTls.serverContext(fixture("server-ec-chain.crt"), fixture("server-ec.key"), CA);
        Result r = handshake(ctx, ServerTls.clientContext(CA), "127.0.0.1");
        assertEquals(2, r.clientSession().getPeerCertificates().length);
    }

    @Test
    void wrongHostNameIsRefused() throws Exception {
        HandshakeFailed e = assertThrows(HandshakeFailed.class,
                () -> handshake(server("server-ec"), ServerTls.clientContext(CA), "kemu.example.com"));
        assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("kemu.example.com"), e.getCause().getMessage());
    }

    @Test
    void clientTrustsOnlyTheClusterCa() {
        assertThrows(HandshakeFailed.class,
                () -> handshake(server("server-ec"), ServerTls.clientContext(fixture("other-ca.crt")), "127.0.0.1"));
    }

    @Test
    void clientCertificateGivesUserAndGroups() throws Exception {
        SSLContext client = ServerTls.clientContext(CA, fixture("client.crt"), fixture("client.key"));
        Result r = handshake(server("server-ec"), client, "127.0.0.1");
        assertEquals(Optional.of(new ClientCertUser("jane", List.of("dev", "ops"))), r.server().user());
    }

    @Test
    void clientCertificateOverTls12() throws Exception {
        SSLContext client = ServerTls.clientContext(CA, fixture("client.crt"), fixture("client.key"));
        Result r = handshake(server("server-rsa"), client, "127.0.0.1", "TLSv1.2");
        assertEquals("jane", r.server().user().orElseThrow().user());
    }

    @Test
    void clientCertificateFromAnotherCaIsNotOffered() throws Exception {
        // the server's CertificateRequest names the cluster CA; the JDK client then keeps its other certificate
        SSLContext rogue = ServerTls.clientContext(CA, fixture("rogue-client.crt"), fixture("rogue-client.key"));
        Result r = handshake(server("server-ec"), rogue, "127.0.0.1");
        assertEquals(Optional.empty(), r.server().user());
    }

    @Test
    void clientCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        SSLContext rogue = alwaysPresenting(fixture("rogue-client.crt"), fixture("rogue-client.key"));
        HandshakeFailed e = assertThrows(HandshakeFailed.class, () -> handshake(server("server-ec"), rogue, "127.0.0.1"));
        assertNotNull(e.server.failure(), "the server must refuse the certificate");
        assertNull(e.server.protocol());
        // the control: the same always-presenting client with a certificate of the cluster CA gets in
        Result ok = handshake(server("server-ec"), alwaysPresenting(fixture("client.crt"), fixture("client.key")), "127.0.0.1");
        assertEquals("jane", ok.server().user().orElseThrow().user());
    }

    /** A client that presents its certificate whatever CAs the server asks for (a misbehaving or hostile client). */
    static SSLContext alwaysPresenting(Path certPem, Path keyPem) throws Exception {
        X509Certificate[] chain = Pem.readCertificates(certPem).toArray(new X509Certificate[0]);
        PrivateKey key = Pem.readPrivateKey(keyPem);
        X509ExtendedKeyManager km = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"c"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "c";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "c";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificates(CA).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {km}, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void subjectIsReadLikeGo() throws Exception {
        X509Certificate odd = Pem.readCertificates(fixture("odd-client.crt")).get(0);
        ClientCertUser u = ServerTls.clientUser(odd).orElseThrow();
        assertEquals("last, \"quoted\"", u.user());
        assertEquals(List.of("first", "a=b;c", "system:masters"), u.groups());
        X509Certificate noCn = Pem.readCertificates(fixture("no-cn-client.crt")).get(0);
        assertEquals(Optional.empty(), ServerTls.clientUser(noCn));
    }

    @Test
    void serverParameters() throws Exception {
        SSLContext ctx = server("server-ec");
        SSLParameters p = ServerTls.serverParameters(ctx);
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, p.getProtocols());
        assertTrue(p.getWantClientAuth());
        assertFalse(p.getNeedClientAuth());
        SSLEngine engine = ServerTls.newServerEngine(ctx);
        assertFalse(engine.getUseClientMode());
        assertTrue(engine.getWantClientAuth());
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsRefused() {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> ServerTls.serverContext(fixture("server-ec.crt"), fixture("client.key"), CA));
        assertTrue(e.getMessage().contains("is not the private key"), e.getMessage());
    }

    @Test
    void pkcs1KeyIsRefusedWithAHint() {
        IOException e = assertThrows(IOException.class,
                () -> ServerTls.serverContext(fixture("server-rsa.crt"), fixture("server-rsa-pkcs1.key"), CA));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }
}
