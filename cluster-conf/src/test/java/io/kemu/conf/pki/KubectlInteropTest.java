package io.kemu.conf.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kemu.apiserver.tls.ClientCertUser;
import io.kemu.apiserver.tls.ServerTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real kubectl against a minimal HTTPS endpoint built from {@link Pki} files with {@link ServerTls}:
 * proves kubectl accepts the CA, the serving certificate and its names, sends the kubeconfig's bearer
 * token, and presents the admin client certificate (PKCS#8 key) when asked for it.
 */
class KubectlInteropTest {

    @TempDir
    Path tmp;

    Path kubectl;

    @BeforeEach
    void needsKubectl() {
        kubectl = Kubectl.find();
        assumeTrue(kubectl != null, "kubectl is not on the PATH");
    }

    /** What the endpoint saw of one request. */
    record Seen(String requestLine, Map<String, String> headers, String protocol, Optional<ClientCertUser> user) {
    }

    /** Answers every request with a /version document; records what it saw. */
    static final class VersionEndpoint implements AutoCloseable {
        static final String BODY = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-kemu-pki-test\","
                + "\"platform\":\"linux/amd64\"}";
        final SSLServerSocket socket;
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        VersionEndpoint(SSLContext ctx) throws IOException {
            socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
            socket.setSSLParameters(ServerTls.serverParameters(ctx));
            Thread acceptor = new Thread(this::acceptLoop, "version-endpoint");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /**
         * The requests of kubectl proper. A "kubectl-dispatcher" build (as on the dev machine) first asks
         * for /version itself to choose the kubectl release; those requests are left out.
         */
        List<Seen> kubectlRequests() {
            return seen.stream()
                    .filter(r -> !r.headers().getOrDefault("user-agent", "").startsWith("kubectl-dispatcher/"))
                    .toList();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) socket.accept();
                    Thread t = new Thread(() -> serve(s), "version-endpoint-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }

        private void serve(SSLSocket s) {
            try (s) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String requestLine = in.readLine();
                Map<String, String> headers = new HashMap<>();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                seen.add(new Seen(requestLine, headers, s.getSession().getProtocol(), ServerTls.clientUser(s.getSession())));
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                failures.add(e); // handshakes kubectl aborts end here too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    Pki pki(PkiOptions.KeyAlgorithm alg) throws Exception {
        return Pki.ensure(tmp.resolve("pki"), PkiOptions.defaults().withKeyAlgorithm(alg));
    }

    SSLContext serving(Pki pki) throws Exception {
        return ServerTls.serverContext(pki.apiserverCrt(), pki.apiserverKey(), pki.caCrt());
    }

    @ParameterizedTest
    @EnumSource(PkiOptions.KeyAlgorithm.class)
    void bearerTokenOverVerifiedTls(PkiOptions.KeyAlgorithm alg) throws Exception {
        Pki pki = pki(alg);
        Map<String, String> tokens = Tokens.ensure(tmp.resolve("tokens.csv"), Identity.kemu(List.of("node-1")));
        try (VersionEndpoint endpoint = new VersionEndpoint(serving(pki))) {
            Path kubeconfig = tmp.resolve("kubeconfig");
            Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + endpoint.port(), pki.caCrt(), tokens,
                    List.of("admin", "viewer"), "admin");

            Kubectl.Result r = Kubectl.run(kubectl, tmp, "--kubeconfig", kubeconfig.toString(),
                    "--request-timeout", "20s", "get", "--raw", "/version");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("v1.32.0-kemu-pki-test"), r.toString());

            r = Kubectl.run(kubectl, tmp, "--kubeconfig", kubeconfig.toString(), "--context", "viewer",
                    "--request-timeout", "20s", "get", "--raw", "/version");
            assertEquals(0, r.exitCode(), r.toString());

            List<Seen> requests = endpoint.kubectlRequests();
            assertEquals(2, requests.size(), endpoint.seen.toString());
            Seen admin = requests.get(0);
            assertTrue(admin.requestLine().startsWith("GET /version"), admin.requestLine());
            assertEquals("Bearer " + tokens.get("admin"), admin.headers().get("authorization"));
            assertEquals("TLSv1.3", admin.protocol());
            assertEquals(Optional.empty(), admin.user(), "no client certificate in the kubeconfig");
            assertEquals("Bearer " + tokens.get("viewer"), requests.get(1).headers().get("authorization"));
        }
    }

    @Test
    void adminClientCertificate() throws Exception {
        Pki pki = pki(PkiOptions.KeyAlgorithm.EC_P256);
        try (VersionEndpoint endpoint = new VersionEndpoint(serving(pki))) {
            Kubectl.Result r = Kubectl.run(kubectl, tmp, "--server", "https://localhost:" + endpoint.port(),
                    "--certificate-authority", pki.caCrt().toString(),
                    "--client-certificate", pki.adminCrt().toString(), "--client-key", pki.adminKey().toString(),
                    "--request-timeout", "20s", "get", "--raw", "/version");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(1, endpoint.kubectlRequests().size(), endpoint.seen.toString());
            Seen seen = endpoint.kubectlRequests().get(0);
            assertEquals(Optional.of(new ClientCertUser("kubernetes-admin", List.of("system:masters"))), seen.user());
            assertNull(seen.headers().get("authorization"));
        }
    }

    @Test
    void kubectlChecksTheServerName() throws Exception {
        Pki pki = pki(PkiOptions.KeyAlgorithm.EC_P256);
        try (VersionEndpoint endpoint = new VersionEndpoint(serving(pki))) {
            Kubectl.Result r = Kubectl.run(kubectl, tmp, "--server", "https://127.0.0.1:" + endpoint.port(),
                    "--certificate-authority", pki.caCrt().toString(), "--tls-server-name", "kemu.example.com",
                    "--token", "not-sent",
                    "--request-timeout", "20s", "get", "--raw", "/version");
            assertNotEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("x509") && r.stderr().contains("kemu.example.com"), r.toString());
            assertEquals(0, endpoint.seen.size());
        }
    }
}
