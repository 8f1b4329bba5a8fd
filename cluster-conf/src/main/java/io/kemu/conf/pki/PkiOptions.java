package io.kemu.conf.pki;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Pki#ensure} makes certificates. Start from {@link #defaults()} and change with the
 * {@code with...} methods.
 *
 * @param keyAlgorithm the key type of new keys (existing keys keep theirs)
 * @param caValidity lifetime of a new CA certificate (default 10 years, as kubeadm)
 * @param leafValidity lifetime of new serving/client certificates (default 1 year, as kubeadm; never
 *     beyond the CA's end)
 * @param renewBefore an existing leaf certificate that ends within this window is re-issued (default 30 days)
 * @param serviceCidr the service IP range; its first address goes into the serving certificate, as the
 *     {@code kubernetes} service's ClusterIP (default {@code 10.96.0.0/12}, so {@code 10.96.0.1})
 * @param clusterDomain the cluster DNS domain (default {@code cluster.local})
 * @param extraSans more subject alternative names for the serving certificate: IP literals or DNS names
 * @param clock the time source (tests move it)
 */
public record PkiOptions(
        KeyAlgorithm keyAlgorithm,
        Duration caValidity,
        Duration leafValidity,
        Duration renewBefore,
        String serviceCidr,
        String clusterDomain,
        List<String> extraSans,
        Clock clock) {

    /** Key types for new keys. */
    public enum KeyAlgorithm {
        /** ECDSA on NIST P-256 (secp256r1), signatures SHA256withECDSA. The default. */
        EC_P256,
        /** RSA 2048 bit, signatures SHA256withRSA. */
        RSA_2048
    }

    public PkiOptions {
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        requirePositive(caValidity, "caValidity");
        requirePositive(leafValidity, "leafValidity");
        Objects.requireNonNull(renewBefore, "renewBefore");
        if (renewBefore.isNegative() || renewBefore.compareTo(leafValidity) >= 0) {
            throw new IllegalArgumentException("renewBefore must be >= 0 and shorter than leafValidity");
        }
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        extraSans = List.copyOf(extraSans);
        Objects.requireNonNull(clock, "clock");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static PkiOptions defaults() {
        return new PkiOptions(KeyAlgorithm.EC_P256, Duration.ofDays(3650), Duration.ofDays(365),
                Duration.ofDays(30), "10.96.0.0/12", "cluster.local", List.of(), Clock.systemUTC());
    }

    public PkiOptions withKeyAlgorithm(KeyAlgorithm v) {
        return new PkiOptions(v, caValidity, leafValidity, renewBefore, serviceCidr, clusterDomain, extraSans, clock);
    }

    public PkiOptions withValidity(Duration ca, Duration leaf) {
        return new PkiOptions(keyAlgorithm, ca, leaf, renewBefore, serviceCidr, clusterDomain, extraSans, clock);
    }

    public PkiOptions withRenewBefore(Duration v) {
        return new PkiOptions(keyAlgorithm, caValidity, leafValidity, v, serviceCidr, clusterDomain, extraSans, clock);
    }

    public PkiOptions withServiceCidr(String v) {
        return new PkiOptions(keyAlgorithm, caValidity, leafValidity, renewBefore, v, clusterDomain, extraSans, clock);
    }

    public PkiOptions withClusterDomain(String v) {
        return new PkiOptions(keyAlgorithm, caValidity, leafValidity, renewBefore, serviceCidr, v, extraSans, clock);
    }

    public PkiOptions withExtraSans(List<String> v) {
        return new PkiOptions(keyAlgorithm, caValidity, leafValidity, renewBefore, serviceCidr, clusterDomain, v, clock);
    }

    public PkiOptions withClock(Clock v) {
        return new PkiOptions(keyAlgorithm, caValidity, leafValidity, renewBefore, serviceCidr, clusterDomain, extraSans, v);
    }
}
