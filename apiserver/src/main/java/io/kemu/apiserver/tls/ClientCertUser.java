package io.kemu.apiserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The user a client certificate stands for, read as kube-apiserver's x509 authenticator does
 * ({@code CommonNameUserConversion}): the subject's common name is the user name, its organization
 * values are the groups.
 *
 * <p>Like Go's {@code pkix.Name}, attributes are visited in certificate order: when there are several
 * CN values the last one wins, every O value is a group, in order; values that are not ASN.1 strings
 * are skipped. A certificate without a CN (or with an empty one) authenticates nobody.
 *
 * <p>This class does not verify anything: take certificates only from a session whose trust manager
 * checked them against the cluster CA, as {@link ServerTls#serverContext} does.
 */
public record ClientCertUser(String user, List<String> groups) {

    private static final String OID_CN = "2.5.4.3";
    private static final String OID_O = "2.5.4.10";

    public ClientCertUser {
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
    }

    /** The user of the peer's leaf certificate; empty when the peer sent no certificate or it has no CN. */
    public static Optional<ClientCertUser> of(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return of(leaf);
    }

    /** The user of a certificate; empty when its subject has no (or an empty) common name. */
    public static Optional<ClientCertUser> of(X509Certificate cert) {
        String cn = null;
        List<String> orgs = new ArrayList<>();
        try {
            Der.Tlv name = Der.readSingle(cert.getSubjectX500Principal().getEncoded());
            for (Der.Tlv rdn : name.children()) {
                for (Der.Tlv atv : rdn.children()) {
                    List<Der.Tlv> pair = atv.children();
                    if (pair.size() != 2 || pair.get(0).tag() != Der.OID) {
                        continue;
                    }
                    String value = string(pair.get(1));
                    if (value == null) {
                        continue;
                    }
                    switch (Der.oid(pair.get(0).value())) {
                        case OID_CN -> cn = value;
                        case OID_O -> orgs.add(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // the JDK parsed the certificate, so this does not happen in practice
        }
        if (cn == null || cn.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientCertUser(cn, orgs));
    }

    /** The ASN.1 string types Go turns into a {@code string}; null for anything else. */
    private static String string(Der.Tlv v) {
        return switch (v.tag()) {
            case 0x0c, 0x14 -> new String(v.value(), StandardCharsets.UTF_8); // UTF8String, T61String (raw bytes in Go)
            case 0x12, 0x13, 0x16 -> new String(v.value(), StandardCharsets.ISO_8859_1); // Numeric, Printable, IA5
            case 0x1e -> new String(v.value(), StandardCharsets.UTF_16BE); // BMPString
            default -> null;
        };
    }
}
