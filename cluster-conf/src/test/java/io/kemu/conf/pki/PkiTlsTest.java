package io.kemu.conf.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.apiserver.tls.ClientCertUser;
import io.kemu.apiserver.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pki's files served and checked by the JDK TLS stack through {@link ServerTls}. */
class PkiTlsTest {

    @TempDir
    Path tmp;

    record Seen(String protocol, Optional<ClientCertUser> user) {
    }

    /** One TLS connection over loopback; the client checks the server certificate against {@code host}. */
    static Seen handshake(SSLContext serverCtx, SSLContext clientCtx, String host) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            server.setSSLParameters(ServerTls.serverParameters(serverCtx));
            server.setSoTimeout(10_000);
            CompletableFuture<Seen> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    return new Seen(s.getSession().getProtocol(), ServerTls.clientUser(s.getSession()));
                } catch (IOException e) {
                    return new Seen("failed: " + e, Optional.empty());
                }
            });
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(loopback, server.getLocalPort()), 10_000);
            plain.setSoTimeout(10_000);
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory().createSocket(plain, host, server.getLocalPort(), true)) {
                SSLParameters p = ServerTls.clientParameters(clientCtx);
                client.setSSLParameters(p);
                client.startHandshake();
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
            } catch (IOException e) {
                serverSide.get(10, TimeUnit.SECONDS);
                throw e;
            }
            return serverSide.get(10, TimeUnit.SECONDS);
        }
    }

    void servesEveryNameAndReadsTheAdmin(PkiOptions options) throws Exception {
        Pki pki = Pki.ensure(tmp.resolve("pki"), options);
        SSLContext serverCtx = ServerTls.serverContext(pki.apiserverCrt(), pki.apiserverKey(), pki.caCrt());
        SSLContext anonymous = ServerTls.clientContext(pki.caCrt());
        for (String host : List.of("127.0.0.1", "::1", "localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.96.0.1")) {
            Seen seen = handshake(serverCtx, anonymous, host);
            assertEquals("TLSv1.3", seen.protocol(), host);
            assertEquals(Optional.empty(), seen.user(), host);
        }
        SSLContext admin = ServerTls.clientContext(pki.caCrt(), pki.adminCrt(), pki.adminKey());
        Seen seen = handshake(serverCtx, admin, "127.0.0.1");
        assertEquals(Optional.of(new ClientCertUser("kubernetes-admin", List.of("system:masters"))), seen.user());

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(serverCtx, anonymous, "kemu.example.com"));
        assertTrue(String.valueOf(e.getMessage()).contains("kemu.example.com"), e.getMessage());
    }

    @Test
    void ecPki() throws Exception {
        servesEveryNameAndReadsTheAdmin(PkiOptions.defaults());
    }

    @Test
    void rsaPki() throws Exception {
        servesEveryNameAndReadsTheAdmin(PkiOptions.defaults().withKeyAlgorithm(PkiOptions.KeyAlgorithm.RSA_2048));
    }

    @Test
    void anotherClustersCaIsNotTrusted() throws Exception {
        Pki mine = Pki.ensure(tmp.resolve("mine"), PkiOptions.defaults());
        Pki theirs = Pki.ensure(tmp.resolve("theirs"), PkiOptions.defaults());
        SSLContext serverCtx = ServerTls.serverContext(mine.apiserverCrt(), mine.apiserverKey(), mine.caCrt());
        assertThrows(SSLHandshakeException.class,
                () -> handshake(serverCtx, ServerTls.clientContext(theirs.caCrt()), "127.0.0.1"));
    }
}
