package io.kemu.apiserver.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * PEM files with JDK classes only: certificates ({@code CERTIFICATE} blocks) and unencrypted PKCS#8
 * private keys ({@code PRIVATE KEY} blocks) holding RSA, EC or Ed25519/Ed448 keys.
 */
public final class Pem {

    /** A PEM block: its label (the text after {@code BEGIN}) and its decoded bytes. */
    public record Block(String label, byte[] der) {
    }

    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private Pem() {
    }

    /** All PEM blocks of a text, in order. Text outside blocks is ignored (as openssl and Go do). */
    public static List<Block> parse(String text) throws IOException {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        String label = null;
        StringBuilder body = null;
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
                    label = line.substring(11, line.length() - 5);
                    body = new StringBuilder();
                    startLine = i + 1;
                }
            } else if (line.equals("-----END " + label + "-----")) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(body.toString());
                } catch (IllegalArgumentException e) {
                    throw new IOException("PEM block '" + label + "' starting on line " + startLine
                            + " is not valid base64", e);
                }
                blocks.add(new Block(label, der));
                label = null;
            } else if (line.contains(":")) {
                throw new IOException("PEM block '" + label + "' starting on line " + startLine
                        + " has headers (" + line + "); encrypted PEM is not supported");
            } else {
                body.append(line);
            }
        }
        if (label != null) {
            throw new IOException("PEM block '" + label + "' starting on line " + startLine + " has no END line");
        }
        return blocks;
    }

    /** The certificates of a PEM file, in file order (a chain file: leaf first). At least one. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<Block> blocks = parseFile(file);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (Block b : blocks) {
            if (b.label().equals("CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (GeneralSecurityException e) {
                    throw new GeneralSecurityException(file + ": certificate " + (certs.size() + 1)
                            + " cannot be parsed: " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no CERTIFICATE block");
        }
        return certs;
    }

    /** The private key of a PEM file holding one unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        List<Block> keys = new ArrayList<>();
        for (Block b : parseFile(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> keys.add(b);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": '" + b.label()
                        + "' (PKCS#1/SEC1) is not supported, convert it to PKCS#8: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + ": encrypted keys are not supported");
                default -> {
                    // certificates and parameters next to the key are ignored
                }
            }
        }
        if (keys.size() != 1) {
            throw new IOException(file + ": expected exactly one 'PRIVATE KEY' block, found " + keys.size());
        }
        return pkcs8(file, keys.get(0).der());
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException, GeneralSecurityException {
        String oid;
        try {
            // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... }
            Der.Tlv info = Der.readSingle(der);
            List<Der.Tlv> fields = info.children();
            if (info.tag() != Der.SEQUENCE || fields.size() < 3 || fields.get(1).tag() != Der.SEQUENCE) {
                throw new IOException("not a PKCS#8 PrivateKeyInfo");
            }
            Der.Tlv algOid = fields.get(1).children().get(0);
            if (algOid.tag() != Der.OID) {
                throw new IOException("not a PKCS#8 PrivateKeyInfo");
            }
            oid = Der.oid(algOid.value());
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IOException(file + ": malformed PKCS#8 key: " + e.getMessage(), e);
        }
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new GeneralSecurityException(file + ": unsupported key algorithm " + oid);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + ": invalid " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /** Whether the private key belongs to the public key (a signature made with one verifies with the other). */
    public static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(privateKey.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        if (privateKey instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey pub) {
            return rsa.getModulus().equals(pub.getModulus()) && rsa.getPublicExponent().equals(pub.getPublicExponent());
        }
        String sigAlg = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (sigAlg == null) {
            return true; // cannot check; let the TLS stack complain
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(sigAlg);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance(sigAlg);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        return verifier.verify(sig);
    }

    private static List<Block> parseFile(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.ISO_8859_1)); // PEM is ASCII; never fail on stray bytes outside blocks
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("PEM block")) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
