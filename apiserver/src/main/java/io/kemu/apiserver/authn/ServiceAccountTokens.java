package io.kemu.apiserver.authn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kemu.apiserver.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Bound service-account tokens, as kube-apiserver issues them for TokenRequest ({@code kubectl create token}) and
 * authenticates them (pkg/serviceaccount: jwt.go, claims.go): an RS256 JWT signed with the cluster's {@code sa.key}
 * carrying {@code iss}, {@code sub = system:serviceaccount:<ns>:<name>}, {@code aud}, {@code exp/nbf/iat}, a
 * {@code jti} and the private {@code kubernetes.io} claim naming the namespace, the service account (name and uid)
 * and the object the token is bound to (a Pod or a Secret). A token authenticates only while it is unexpired, meant
 * for one of the API audiences, and while the service account (and the bound object) still exist with the uids it
 * names (the validator of claims.go).
 */
public final class ServiceAccountTokens {
  /** kube-apiserver's --service-account-issuer as kubeadm sets it; also the default API audience. */
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  public static final List<String> API_AUDIENCES = List.of(ISSUER);
  public static final String SA_PREFIX = "system:serviceaccount:";
  public static final String ALL_SERVICE_ACCOUNTS = "system:serviceaccounts";
  /** jwt.go: tokens may be used up to a minute before nbf / after exp (clock skew). */
  static final Duration LEEWAY = Duration.ofSeconds(60);

  /** The uid of a live object (serviceaccounts, pods, secrets) in a namespace, or null when there is none. */
  public interface Lookup {
    String uid(String resource, String namespace, String name);
  }

  /** The object a token is bound to (TokenRequest spec.boundObjectRef). */
  public record BoundObject(String kind, String name, String uid) {}

  public record Issued(String token, Instant expiration) {}

  private final PrivateKey signingKey;
  private final RSAPublicKey verifyingKey;
  private final String keyId;
  private final Clock clock;
  private final Lookup lookup;

  public ServiceAccountTokens(PrivateKey signingKey, RSAPublicKey verifyingKey, Clock clock, Lookup lookup) {
    this.signingKey = signingKey;
    this.verifyingKey = verifyingKey;
    this.keyId = keyId(verifyingKey);
    this.clock = clock;
    this.lookup = lookup;
  }

  /** From {@code sa.key} and {@code sa.pub} of the PKI directory, or empty when the cluster has none. */
  public static Optional<ServiceAccountTokens> load(Path pkiDir, Clock clock, Lookup lookup)
      throws IOException, GeneralSecurityException {
    Path key = pkiDir.resolve("sa.key");
    Path pub = pkiDir.resolve("sa.pub");
    if (!Files.exists(key) || !Files.exists(pub)) {
      return Optional.empty();
    }
    PublicKey publicKey = null;
    for (Pem.Block b : Pem.parse(Files.readString(pub))) {
      if (b.label().equals("PUBLIC KEY")) {
        publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(b.der()));
      }
    }
    if (!(publicKey instanceof RSAPublicKey rsa)) {
      throw new IOException(pub + ": expected an RSA 'PUBLIC KEY' block");
    }
    return Optional.of(new ServiceAccountTokens(Pem.readPrivateKey(key), rsa, clock, lookup));
  }

  /** jwt.go keyIDFromPublicKey: base64url(sha256(DER of the public key)), unpadded. */
  static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** claims.go Claims(): a token for the service account, valid from now for {@code expirationSeconds}. */
  public Issued issue(String namespace, String name, String uid, List<String> audiences, long expirationSeconds,
                      BoundObject bound) {
    Instant now = clock.instant();
    Instant exp = now.plusSeconds(expirationSeconds);
    Map<String, Object> kube = new LinkedHashMap<>();
    kube.put("namespace", namespace);
    kube.put("serviceaccount", Map.of("name", name, "uid", uid));
    if (bound != null) {
      kube.put(bound.kind().toLowerCase(java.util.Locale.ROOT), Map.of("name", bound.name(), "uid", bound.uid()));
    }
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(SA_PREFIX + namespace + ":" + name)
        .audience(audiences.isEmpty() ? API_AUDIENCES : audiences)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .jwtID(UUID.randomUUID().toString())
        .claim("kubernetes.io", kube)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
    try {
      jwt.sign(new RSASSASigner(signingKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service-account token", e);
    }
    return new Issued(jwt.serialize(), exp);
  }

  /** Whether a bearer token has the shape of a JWT (three dot-separated parts), as jwt.go checks first. */
  public static boolean looksLikeJwt(String token) {
    return token != null && token.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * The service account a token speaks for, or empty when it is not ours, is expired or not yet valid, is meant
   * for another audience, or names a service account or bound object that no longer exists (or was recreated).
   */
  public Optional<UserInfo> authenticate(String token) {
    if (!looksLikeJwt(token)) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(verifyingKey))) {
        return Optional.empty();
      }
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
    if (!ISSUER.equals(claims.getIssuer())) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null || now.isAfter(claims.getExpirationTime().toInstant().plus(LEEWAY))) {
      return Optional.empty();
    }
    if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant().minus(LEEWAY))) {
      return Optional.empty();
    }
    List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
    if (Collections.disjoint(aud, API_AUDIENCES)) {
      return Optional.empty();
    }
    Map<String, Object> kube;
    try {
      kube = claims.getJSONObjectClaim("kubernetes.io");
    } catch (ParseException e) {
      return Optional.empty();
    }
    if (kube == null || !(kube.get("namespace") instanceof String ns) || !(kube.get("serviceaccount") instanceof Map<?, ?> sa)
        || !(sa.get("name") instanceof String name) || !(sa.get("uid") instanceof String uid)) {
      return Optional.empty();
    }
    if (!(SA_PREFIX + ns + ":" + name).equals(claims.getSubject())) {
      return Optional.empty();
    }
    // claims.go validator.Validate: the service account and the bound objects must still be the same objects
    if (!uid.equals(lookup.uid("serviceaccounts", ns, name))) {
      return Optional.empty();
    }
    for (String kind : List.of("pod", "secret")) {
      if (kube.get(kind) instanceof Map<?, ?> ref) {
        Object boundUid = ref.get("uid");
        Object boundName = ref.get("name");
        if (!(boundName instanceof String bn) || boundUid == null
            || !boundUid.equals(lookup.uid(kind + "s", ns, bn))) {
          return Optional.empty();
        }
      }
    }
    List<String> groups = new ArrayList<>(List.of(ALL_SERVICE_ACCOUNTS, ALL_SERVICE_ACCOUNTS + ":" + ns,
        UserInfo.ALL_AUTHENTICATED));
    return Optional.of(new UserInfo(SA_PREFIX + ns + ":" + name, uid, List.copyOf(groups)));
  }
}
