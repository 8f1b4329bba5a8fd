package io.kemu.conf.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.apiserver.tls.ClientCertUser;
import io.kemu.apiserver.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    static PkiOptions at(Instant t) {
        return PkiOptions.defaults().withClock(Clock.fixed(t, ZoneOffset.UTC));
    }

    static X509Certificate cert(Path p) throws Exception {
        return Pem.readCertificates(p).get(0);
    }

    static Map<Path, byte[]> snapshot(Pki pki) throws Exception {
        Map<Path, byte[]> m = new HashMap<>();
        for (Path p : List.of(pki.caCrt(), pki.caKey(), pki.apiserverCrt(), pki.apiserverKey(), pki.adminCrt(), pki.adminKey())) {
            m.put(p, Files.readAllBytes(p));
        }
        return m;
    }

    static void assertChainsTo(X509Certificate leaf, X509Certificate ca, Instant at) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(leaf)), params);
    }

    static Set<List<?>> sans(X509Certificate c) throws Exception {
        return new HashSet<>(c.getSubjectAlternativeNames());
    }

    @Test
    void createsCaServingAndAdminCertificates() throws Exception {
        Pki pki = Pki.ensure(tmp.resolve("pki"), at(T0));
        X509Certificate ca = cert(pki.caCrt());
        X509Certificate server = cert(pki.apiserverCrt());
        X509Certificate admin = cert(pki.adminCrt());

        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        assertTrue(ca.getBasicConstraints() >= 0, "CA flag");
        ca.verify(ca.getPublicKey());
        assertEquals(Duration.ofDays(3650), Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()));
        assertEquals(T0.minus(Pki.BACKDATE), ca.getNotBefore().toInstant());
        assertEquals("EC", ca.getPublicKey().getAlgorithm());

        server.verify(ca.getPublicKey());
        assertChainsTo(server, ca, T0);
        assertEquals(-1, server.getBasicConstraints());
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertEquals(Set.of(
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"), List.of(7, "10.96.0.1"),
                List.of(2, "localhost"), List.of(2, "kubernetes"), List.of(2, "kubernetes.default"),
                List.of(2, "kubernetes.default.svc"), List.of(2, "kubernetes.default.svc.cluster.local")),
                sans(server));
        assertEquals(Duration.ofDays(365), Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()));
        assertTrue(server.getKeyUsage()[0], "digitalSignature");

        admin.verify(ca.getPublicKey());
        assertChainsTo(admin, ca, T0);
        assertEquals(List.of(CLIENT_AUTH), admin.getExtendedKeyUsage());
        assertEquals(Optional.of(new ClientCertUser("kubernetes-admin", List.of("system:masters"))), ClientCertUser.of(admin));
        assertEquals(null, admin.getSubjectAlternativeNames());

        assertTrue(Pem.keyMatches(Pem.readPrivateKey(pki.caKey()), ca.getPublicKey()));
        assertTrue(Pem.keyMatches(Pem.readPrivateKey(pki.apiserverKey()), server.getPublicKey()));
        assertTrue(Pem.keyMatches(Pem.readPrivateKey(pki.adminKey()), admin.getPublicKey()));
    }

    @Test
    void pemFormatsAndFileModes() throws Exception {
        Pki pki = Pki.ensure(tmp.resolve("pki"), PkiOptions.defaults());
        for (Path key : List.of(pki.caKey(), pki.apiserverKey(), pki.adminKey(), pki.saKey())) {
            assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"), key + " is PKCS#8 PEM");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
        }
        for (Path crt : List.of(pki.caCrt(), pki.apiserverCrt(), pki.adminCrt())) {
            assertTrue(Files.readString(crt).startsWith("-----BEGIN CERTIFICATE-----\n"), crt.toString());
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(crt)), crt.toString());
        }
        assertTrue(Files.readString(pki.saPub()).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.saPub())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.dir())));
        try (var files = Files.list(pki.dir())) {
            assertEquals(8, files.count(), "no temporary files left");
        }
    }

    @Test
    void secondEnsureKeepsEveryFile() throws Exception {
        Path dir = tmp.resolve("pki");
        Map<Path, byte[]> first = snapshot(Pki.ensure(dir, at(T0)));
        // later, and with another key algorithm: existing files still win
        Pki again = Pki.ensure(dir, at(T0.plus(Duration.ofDays(100))).withKeyAlgorithm(PkiOptions.KeyAlgorithm.RSA_2048));
        Map<Path, byte[]> second = snapshot(again);
        for (Path p : first.keySet()) {
            assertArrayEquals(first.get(p), second.get(p), p + " changed");
        }
    }

    @Test
    void missingLeafIsIssuedAgainUnderTheSameCa() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki pki = Pki.ensure(dir, at(T0));
        Map<Path, byte[]> before = snapshot(pki);
        Files.delete(pki.apiserverKey());
        Pki.ensure(dir, at(T0));
        Map<Path, byte[]> after = snapshot(pki);
        assertArrayEquals(before.get(pki.caCrt()), after.get(pki.caCrt()));
        assertArrayEquals(before.get(pki.caKey()), after.get(pki.caKey()));
        assertArrayEquals(before.get(pki.adminCrt()), after.get(pki.adminCrt()));
        assertFalse(java.util.Arrays.equals(before.get(pki.apiserverCrt()), after.get(pki.apiserverCrt())));
        X509Certificate server = cert(pki.apiserverCrt());
        assertChainsTo(server, cert(pki.caCrt()), T0);
        assertTrue(Pem.keyMatches(Pem.readPrivateKey(pki.apiserverKey()), server.getPublicKey()));
    }

    @Test
    void leafNearItsEndIsRenewedTheCaIsNot() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki pki = Pki.ensure(dir, at(T0));
        X509Certificate ca = cert(pki.caCrt());
        X509Certificate server = cert(pki.apiserverCrt());

        Pki.ensure(dir, at(T0.plus(Duration.ofDays(300))));
        assertEquals(server, cert(pki.apiserverCrt()), "300 days in: more than 30 days left, kept");

        Instant late = T0.plus(Duration.ofDays(340));
        Pki.ensure(dir, at(late));
        X509Certificate renewed = cert(pki.apiserverCrt());
        assertNotEquals(server.getSerialNumber(), renewed.getSerialNumber());
        assertEquals(ca, cert(pki.caCrt()));
        assertChainsTo(renewed, ca, late);
        assertEquals(late.minus(Pki.BACKDATE).plus(Duration.ofDays(365)), renewed.getNotAfter().toInstant());
    }

    @Test
    void leafNeverOutlivesTheCa() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki pki = Pki.ensure(dir, at(T0));
        Instant nearCaEnd = T0.plus(Duration.ofDays(3600));
        Pki.ensure(dir, at(nearCaEnd));
        assertEquals(cert(pki.caCrt()).getNotAfter(), cert(pki.apiserverCrt()).getNotAfter());
    }

    @Test
    void newServingNamesGetANewServingCertificate() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki pki = Pki.ensure(dir, at(T0));
        byte[] admin = Files.readAllBytes(pki.adminCrt());
        Pki.ensure(dir, at(T0).withExtraSans(List.of("kemu.example", "192.168.7.7")).withServiceCidr("10.100.0.0/16"));
        Set<List<?>> sans = sans(cert(pki.apiserverCrt()));
        assertTrue(sans.contains(List.of(2, "kemu.example")), sans.toString());
        assertTrue(sans.contains(List.of(7, "192.168.7.7")), sans.toString());
        assertTrue(sans.contains(List.of(7, "10.100.0.1")), sans.toString());
        assertArrayEquals(admin, Files.readAllBytes(pki.adminCrt()));
    }

    @Test
    void halfACaIsNotReplaced() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki pki = Pki.ensure(dir, at(T0));
        byte[] caCrt = Files.readAllBytes(pki.caCrt());
        Files.delete(pki.caKey());
        Files.delete(pki.apiserverCrt());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Pki.ensure(dir, at(T0)));
        assertTrue(e.getMessage().contains("only one of"), e.getMessage());
        assertArrayEquals(caCrt, Files.readAllBytes(pki.caCrt()));
        assertFalse(Files.exists(pki.caKey()));
        assertFalse(Files.exists(pki.apiserverCrt()), "nothing issued without the CA key");
    }

    @Test
    void expiredCaIsReportedNotReplaced() throws Exception {
        Path dir = tmp.resolve("pki");
        Pki.ensure(dir, at(T0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Pki.ensure(dir, at(T0.plus(Duration.ofDays(3651)))));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void rsaKeys() throws Exception {
        Pki pki = Pki.ensure(tmp.resolve("pki"), at(T0).withKeyAlgorithm(PkiOptions.KeyAlgorithm.RSA_2048));
        X509Certificate server = cert(pki.apiserverCrt());
        assertEquals("RSA", cert(pki.caCrt()).getPublicKey().getAlgorithm());
        assertEquals("RSA", server.getPublicKey().getAlgorithm());
        assertEquals("SHA256withRSA", server.getSigAlgName());
        assertTrue(server.getKeyUsage()[2], "keyEncipherment for RSA");
        assertChainsTo(server, cert(pki.caCrt()), T0);
    }

    @Test
    void firstServiceAddress() {
        assertEquals("10.96.0.1", Pki.firstAddress("10.96.0.0/12"));
        assertEquals("10.100.0.1", Pki.firstAddress("10.100.7.9/16"));
        assertEquals("172.16.0.1", Pki.firstAddress("172.17.255.255/12"));
        assertEquals("fd00:0:0:0:0:0:0:1", Pki.firstAddress("fd00::/108"));
        assertThrows(IllegalArgumentException.class, () -> Pki.firstAddress("10.0.0.0/31"));
        assertThrows(IllegalArgumentException.class, () -> Pki.firstAddress("kubernetes/12"));
        assertThrows(IllegalArgumentException.class, () -> Pki.firstAddress("10.96.0.0"));
    }
}
