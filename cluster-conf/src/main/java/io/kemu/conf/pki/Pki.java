package io.kemu.conf.pki;

import io.kemu.api.SecureFiles;

import io.kemu.apiserver.tls.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates in one directory:
 * <ul>
 *   <li>{@code ca.crt}/{@code ca.key}: the cluster CA;</li>
 *   <li>{@code apiserver.crt}/{@code apiserver.key}: the API server's serving certificate (serverAuth),
 *       for 127.0.0.1, ::1, localhost, the {@code kubernetes} service names and its ClusterIP;</li>
 *   <li>{@code admin.crt}/{@code admin.key}: a client certificate {@code CN=kubernetes-admin},
 *       {@code O=system:masters} (clientAuth).</li>
 * </ul>
 * Certificates are PEM, keys unencrypted PKCS#8 PEM with mode 600, each file replaced atomically.
 *
 * <p>{@link #ensure} never replaces an existing CA: a new CA would break every kubeconfig written before.
 * A leaf certificate is kept as it is unless it is missing, unreadable, does not match its key, is not
 * signed by the current CA, is about to expire ({@link PkiOptions#renewBefore()}), or (serving
 * certificate) lacks a required name; then it is issued anew with a new key, which breaks nobody since
 * clients trust the CA.
 */
public record Pki(Path dir) {

    private static final Logger log = LoggerFactory.getLogger(Pki.class);

    public static final String CA = "ca";
    public static final String APISERVER = "apiserver";
    public static final String ADMIN = "admin";

    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String ADMIN_GROUP = "system:masters";

    /** Certificates are backdated a little against clock skew between processes and hosts (as kubeadm). */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    public Path caCrt() {
        return dir.resolve(CA + ".crt");
    }

    public Path caKey() {
        return dir.resolve(CA + ".key");
    }

    public Path apiserverCrt() {
        return dir.resolve(APISERVER + ".crt");
    }

    public Path apiserverKey() {
        return dir.resolve(APISERVER + ".key");
    }

    public Path adminCrt() {
        return dir.resolve(ADMIN + ".crt");
    }

    public Path adminKey() {
        return dir.resolve(ADMIN + ".key");
    }

    /**
     * Creates what is missing in {@code pkiDir} (see the class comment) and returns the file locations.
     *
     * @throws IllegalStateException when the CA cannot be used and must not be replaced: only one of
     *     {@code ca.crt}/{@code ca.key} exists, they do not match, the certificate is no CA, or it expired
     */
    public static Pki ensure(Path pkiDir, PkiOptions options) throws IOException, GeneralSecurityException {
        SecureFiles.createDirectory(pkiDir, SecureFiles.PRIVATE_DIR);
        Pki pki = new Pki(pkiDir);
        Instant now = options.clock().instant();

        boolean haveCrt = Files.exists(pki.caCrt());
        boolean haveKey = Files.exists(pki.caKey());
        X509Certificate ca;
        PrivateKey caKey;
        boolean newCa = false;
        if (haveCrt && haveKey) {
            ca = Pem.readCertificates(pki.caCrt()).get(0);
            caKey = Pem.readPrivateKey(pki.caKey());
            if (!Pem.keyMatches(caKey, ca.getPublicKey())) {
                throw new IllegalStateException(pki.caKey() + " is not the key of " + pki.caCrt());
            }
            if (ca.getBasicConstraints() < 0) {
                throw new IllegalStateException(pki.caCrt() + " is not a CA certificate");
            }
            if (now.isAfter(ca.getNotAfter().toInstant())) {
                throw new IllegalStateException(pki.caCrt() + " expired on " + ca.getNotAfter().toInstant()
                        + "; move " + pkiDir + " away to start over with a new CA (and new kubeconfigs)");
            }
            if (now.plus(options.renewBefore()).isAfter(ca.getNotAfter().toInstant())) {
                log.warn("cluster CA {} expires {}: leaf certificates cannot outlive it; plan a new CA",
                        pki.caCrt(), ca.getNotAfter().toInstant());
            }
        } else if (!haveCrt && !haveKey) {
            KeyPair kp = generateKeyPair(options.keyAlgorithm());
            ca = issueCa(kp, options, now);
            caKey = kp.getPrivate();
            SecureFiles.writeAtomically(pki.caKey(), pem("PRIVATE KEY", pkcs8(caKey)), SecureFiles.OWNER_ONLY);
            SecureFiles.writeAtomically(pki.caCrt(), pem("CERTIFICATE", ca.getEncoded()), SecureFiles.WORLD_READABLE);
            newCa = true;
            log.info("created cluster CA {} ({}, valid until {})", pki.caCrt(), ca.getSubjectX500Principal(),
                    ca.getNotAfter().toInstant());
        } else {
            throw new IllegalStateException("only one of " + pki.caCrt() + " and " + pki.caKey()
                    + " exists; refusing to create a new CA over it (restore the missing file, or move "
                    + pkiDir + " away to start over)");
        }

        List<String> servingNames = servingNames(options);
        ensureLeaf(pki, APISERVER, ca, caKey, newCa, options, now,
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "kube-apiserver").build(),
                KeyPurposeId.id_kp_serverAuth, servingNames);
        ensureLeaf(pki, ADMIN, ca, caKey, newCa, options, now,
                // Go's order: O before CN
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ADMIN_GROUP).addRDN(BCStyle.CN, ADMIN_USER).build(),
                KeyPurposeId.id_kp_clientAuth, List.of());
        ensureServiceAccountKey(pki);
        return pki;
    }

    /** kubeadm's sa.key / sa.pub: the RSA key pair that signs and verifies service-account tokens. */
    public Path saKey() {
        return dir.resolve("sa.key");
    }

    public Path saPub() {
        return dir.resolve("sa.pub");
    }

    private static void ensureServiceAccountKey(Pki pki) throws IOException, GeneralSecurityException {
        if (Files.exists(pki.saKey()) && Files.exists(pki.saPub())) {
            return;
        }
        KeyPair kp = generateKeyPair(PkiOptions.KeyAlgorithm.RSA_2048); // RS256, as kube-apiserver signs by default
        SecureFiles.writeAtomically(pki.saKey(), pem("PRIVATE KEY", pkcs8(kp.getPrivate())), SecureFiles.OWNER_ONLY);
        SecureFiles.writeAtomically(pki.saPub(), pem("PUBLIC KEY", kp.getPublic().getEncoded()),
                SecureFiles.WORLD_READABLE);
        log.info("created service-account signing key {}", pki.saKey());
    }

    /**
     * The names the serving certificate must carry: 127.0.0.1, ::1, localhost, kubernetes,
     * kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.&lt;clusterDomain&gt;, the first
     * address of the service CIDR, then the extra names.
     */
    public static List<String> servingNames(PkiOptions o) {
        Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "::1", "localhost", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + o.clusterDomain(),
                firstAddress(o.serviceCidr())));
        names.addAll(o.extraSans());
        return List.copyOf(names);
    }

    /** The first usable address of a CIDR ({@code 10.96.0.0/12} gives {@code 10.96.0.1}), as kube-apiserver picks the service IP. */
    static String firstAddress(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !IPAddress.isValid(cidr.substring(0, slash))) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        byte[] addr;
        int bits;
        try {
            addr = InetAddress.getByName(cidr.substring(0, slash)).getAddress(); // a literal: no lookup
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
        if (bits < 0 || bits > addr.length * 8 - 2) {
            throw new IllegalArgumentException("CIDR " + cidr + " has no room for a service address");
        }
        for (int i = 0; i < addr.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            addr[i] &= (byte) (0xff << (8 - keep));
        }
        for (int i = addr.length - 1; i >= 0; i--) {
            if (++addr[i] != 0) {
                break;
            }
        }
        try {
            return InetAddress.getByAddress(addr).getHostAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ensureLeaf(Pki pki, String name, X509Certificate ca, PrivateKey caKey, boolean newCa,
            PkiOptions o, Instant now, X500Name subject, KeyPurposeId eku, List<String> sans)
            throws IOException, GeneralSecurityException {
        Path crtFile = pki.dir().resolve(name + ".crt");
        Path keyFile = pki.dir().resolve(name + ".key");
        String reason = newCa ? "the CA is new" : leafProblem(crtFile, keyFile, ca, o, now, sans);
        if (reason == null) {
            return;
        }
        KeyPair kp = generateKeyPair(o.keyAlgorithm());
        X509Certificate cert = issueLeaf(kp.getPublic(), subject, eku, sans, ca, caKey, o, now);
        SecureFiles.writeAtomically(keyFile, pem("PRIVATE KEY", pkcs8(kp.getPrivate())), SecureFiles.OWNER_ONLY);
        SecureFiles.writeAtomically(crtFile, pem("CERTIFICATE", cert.getEncoded()), SecureFiles.WORLD_READABLE);
        log.info("issued {} ({}; {}, valid until {})", crtFile, reason, cert.getSubjectX500Principal(),
                cert.getNotAfter().toInstant());
    }

    /** Why an existing leaf must be issued anew, or null when it is fine. */
    private static String leafProblem(Path crtFile, Path keyFile, X509Certificate ca, PkiOptions o, Instant now,
            List<String> sans) {
        if (!Files.exists(crtFile) || !Files.exists(keyFile)) {
            return "missing";
        }
        X509Certificate cert;
        try {
            cert = Pem.readCertificates(crtFile).get(0);
            PrivateKey key = Pem.readPrivateKey(keyFile);
            if (!Pem.keyMatches(key, cert.getPublicKey())) {
                return "the key does not match the certificate";
            }
        } catch (IOException | GeneralSecurityException e) {
            return "unreadable: " + e.getMessage();
        }
        try {
            if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                return "issued by another CA";
            }
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "not signed by the current CA";
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            return "not valid before " + cert.getNotBefore().toInstant();
        }
        if (now.plus(o.renewBefore()).isAfter(cert.getNotAfter().toInstant())) {
            return "expires " + cert.getNotAfter().toInstant();
        }
        Set<String> missing = new LinkedHashSet<>(normalized(sans));
        try {
            Collection<List<?>> present = cert.getSubjectAlternativeNames();
            if (present != null) {
                for (List<?> san : present) {
                    int type = (Integer) san.get(0);
                    if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                        missing.removeAll(normalized(List.of((String) san.get(1))));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            return "unreadable names: " + e.getMessage();
        }
        return missing.isEmpty() ? null : "lacks " + missing;
    }

    /** IP literals as "ip:" + hex of the address bytes, DNS names as "dns:" + lower case. */
    private static List<String> normalized(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (IPAddress.isValid(n)) {
                try {
                    out.add("ip:" + HexFormat.of().formatHex(InetAddress.getByName(n).getAddress()));
                } catch (IOException e) {
                    throw new IllegalArgumentException(n, e);
                }
            } else {
                out.add("dns:" + n.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static X509Certificate issueCa(KeyPair kp, PkiOptions o, Instant now) throws GeneralSecurityException {
        try {
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "kemu-ca").build();
            Instant notBefore = now.minus(BACKDATE);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notBefore.plus(o.caValidity())), name, kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            return sign(b, kp.getPrivate());
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate", e);
        }
    }

    private static X509Certificate issueLeaf(PublicKey pub, X500Name subject, KeyPurposeId eku, List<String> sans,
            X509Certificate ca, PrivateKey caKey, PkiOptions o, Instant now) throws GeneralSecurityException {
        try {
            Instant notBefore = now.minus(BACKDATE);
            Instant notAfter = notBefore.plus(o.leafValidity());
            if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
                notAfter = ca.getNotAfter().toInstant(); // a leaf must not outlive its CA
            }
            X509CertificateHolder caHolder = new JcaX509CertificateHolder(ca);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caHolder.getSubject(), serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, pub);
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature;
            if (pub.getAlgorithm().equals("RSA")) {
                usage |= KeyUsage.keyEncipherment; // RSA key exchange (TLS 1.2), as kubeadm sets it
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            if (!sans.isEmpty()) {
                GeneralName[] names = sans.stream()
                        .map(n -> IPAddress.isValid(n)
                                ? new GeneralName(GeneralName.iPAddress, n)
                                : new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(pub));
            SubjectKeyIdentifier caSki = SubjectKeyIdentifier.fromExtensions(caHolder.getExtensions());
            b.addExtension(Extension.authorityKeyIdentifier, false, caSki != null
                    ? new AuthorityKeyIdentifier(caSki.getKeyIdentifier())
                    : u.createAuthorityKeyIdentifier(ca.getPublicKey()));
            return sign(b, caKey);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build a certificate for " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        String alg = switch (signer.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new GeneralSecurityException("cannot sign with a " + signer.getAlgorithm() + " key");
        };
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** A positive random serial number of at most 16 bytes (RFC 5280 allows 20; Go rejects negative ones). */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    static KeyPair generateKeyPair(PkiOptions.KeyAlgorithm algorithm) throws GeneralSecurityException {
        return switch (algorithm) {
            case EC_P256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                yield g.generateKeyPair();
            }
            case RSA_2048 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
                yield g.generateKeyPair();
            }
        };
    }

    private static byte[] pkcs8(PrivateKey key) throws GeneralSecurityException {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new GeneralSecurityException("key encodes as " + key.getFormat() + ", not PKCS#8");
        }
        return key.getEncoded();
    }

    static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
