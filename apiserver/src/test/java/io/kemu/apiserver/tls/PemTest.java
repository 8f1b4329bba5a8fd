package io.kemu.apiserver.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    @Test
    void readsEcAndRsaPkcs8Keys() throws Exception {
        PrivateKey ec = Pem.readPrivateKey(ServerTlsTest.fixture("server-ec.key"));
        assertEquals("EC", ec.getAlgorithm());
        PrivateKey rsa = Pem.readPrivateKey(ServerTlsTest.fixture("server-rsa.key"));
        assertEquals("RSA", rsa.getAlgorithm());
        assertTrue(Pem.keyMatches(rsa, Pem.readCertificates(ServerTlsTest.fixture("server-rsa.crt")).get(0).getPublicKey()));
        assertTrue(Pem.keyMatches(ec, Pem.readCertificates(ServerTlsTest.fixture("server-ec.crt")).get(0).getPublicKey()));
    }

    @Test
    void chainFileKeepsOrder() throws Exception {
        var certs = Pem.readCertificates(ServerTlsTest.fixture("server-ec-chain.crt"));
        assertEquals(List.of("CN=fixture-server", "CN=fixture-ca"),
                certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
    }

    @Test
    void textAroundBlocksIsIgnored() throws IOException {
        List<Pem.Block> blocks = Pem.parse("Bag Attributes: x\r\n-----BEGIN THING-----\r\nAAEC\r\nAw==\r\n-----END THING-----\r\ntrailer\n");
        assertEquals(1, blocks.size());
        assertEquals("THING", blocks.get(0).label());
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 3),
                List.of(blocks.get(0).der()[0], blocks.get(0).der()[1], blocks.get(0).der()[2], blocks.get(0).der()[3]));
    }

    @Test
    void brokenFilesGiveClearErrors() throws IOException {
        Path noEnd = dir.resolve("noend.pem");
        Files.writeString(noEnd, "-----BEGIN CERTIFICATE-----\nAAAA\n");
        IOException e = assertThrows(IOException.class, () -> Pem.readCertificates(noEnd));
        assertTrue(e.getMessage().contains("no END line"), e.getMessage());

        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "nothing here\n");
        e = assertThrows(IOException.class, () -> Pem.readCertificates(empty));
        assertTrue(e.getMessage().contains("no CERTIFICATE block"), e.getMessage());

        Path encrypted = dir.resolve("enc.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        e = assertThrows(IOException.class, () -> Pem.readPrivateKey(encrypted));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());

        Path certAsKey = ServerTlsTest.fixture("ca.crt");
        e = assertThrows(IOException.class, () -> Pem.readPrivateKey(certAsKey));
        assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    }
}
