/**
 * kemu's cluster credentials, made at first start and kept across restarts.
 *
 * <ul>
 *   <li>{@link io.kemu.conf.pki.Pki}: cluster CA, API server serving certificate, admin client certificate.</li>
 *   <li>{@link io.kemu.conf.pki.Tokens}: bearer tokens of kemu's identities in the static token file
 *       read by {@link io.kemu.api.auth.TokenFile}.</li>
 *   <li>{@link io.kemu.conf.pki.Kubeconfig}: kubeconfig files embedding the CA, one context per user.</li>
 * </ul>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>Keys: ECDSA P-256 by default</b> (RSA 2048 selectable). Go's crypto/tls in kubectl and the
 *       JDK's TLS stack both handle P-256 in TLS 1.2 (ECDHE-ECDSA suites) and 1.3
 *       ({@code ecdsa_secp256r1_sha256}); kubeadm offers it too. A P-256 key is made in about a
 *       millisecond where RSA 2048 takes tens to hundreds on this class of machine, and handshakes are
 *       smaller. Both kinds are tested end to end with the real kubectl.</li>
 *   <li><b>Validity: 10 years for the CA, 1 year for leaf certificates</b>, as kubeadm. The CA is never
 *       replaced automatically (kubeconfigs embed it); leaf certificates are re-issued by
 *       {@link io.kemu.conf.pki.Pki#ensure} at start when within 30 days of their end, so a long-lived
 *       emulator does not break after a year.</li>
 *   <li>Certificates are backdated 5 minutes (clock skew), serial numbers are 127 random bits.</li>
 *   <li>Files are replaced atomically (temporary file in the same directory, fsync, rename); keys,
 *       the token file and kubeconfigs have mode 600, certificates 644, the pki directory 700.</li>
 * </ul>
 */
package io.kemu.conf.pki;
