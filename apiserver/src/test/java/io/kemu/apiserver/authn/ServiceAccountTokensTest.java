package io.kemu.apiserver.authn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  final Map<String, String> live = new HashMap<>();
  final MutableClock clock = new MutableClock(T0);
  ServiceAccountTokens tokens;
  KeyPair keys;

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  @BeforeEach
  void setUp() throws Exception {
    keys = rsa();
    tokens = new ServiceAccountTokens(keys.getPrivate(), (RSAPublicKey) keys.getPublic(), clock,
        (resource, ns, name) -> live.get(resource + "/" + ns + "/" + name));
    live.put("serviceaccounts/team/builder", "uid-sa-1");
  }

  @Test
  void anIssuedTokenAuthenticatesAsTheServiceAccountWithKubesGroups() throws Exception {
    String token = tokens.issue("team", "builder", "uid-sa-1", List.of(), 3600, null).token();
    UserInfo u = tokens.authenticate(token).orElseThrow();
    assertEquals("system:serviceaccount:team:builder", u.name());
    assertEquals("uid-sa-1", u.uid());
    assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"), u.groups());

    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
    assertEquals(ServiceAccountTokens.keyId(keys.getPublic()), jwt.getHeader().getKeyID());
    assertEquals(ServiceAccountTokens.ISSUER, jwt.getJWTClaimsSet().getIssuer());
    assertEquals(List.of(ServiceAccountTokens.ISSUER), jwt.getJWTClaimsSet().getAudience());
    assertEquals(T0.plusSeconds(3600), jwt.getJWTClaimsSet().getExpirationTime().toInstant());
    assertEquals("team", jwt.getJWTClaimsSet().getJSONObjectClaim("kubernetes.io").get("namespace"));
  }

  @Test
  void expiryCountsWithAMinuteOfLeeway() {
    String token = tokens.issue("team", "builder", "uid-sa-1", List.of(), 600, null).token();
    clock.now = T0.plusSeconds(600 + 59);
    assertTrue(tokens.authenticate(token).isPresent());
    clock.now = T0.plusSeconds(600 + 61);
    assertFalse(tokens.authenticate(token).isPresent());
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    assertFalse(tokens.authenticate(tokens.issue("team", "builder", "uid-sa-1", List.of("vault"), 3600, null).token())
        .isPresent());
    assertTrue(tokens.authenticate(tokens.issue("team", "builder", "uid-sa-1",
        List.of("vault", ServiceAccountTokens.ISSUER), 3600, null).token()).isPresent());
  }

  @Test
  void deletingOrRecreatingTheServiceAccountInvalidatesItsTokens() {
    String token = tokens.issue("team", "builder", "uid-sa-1", List.of(), 3600, null).token();
    live.put("serviceaccounts/team/builder", "uid-sa-2");
    assertFalse(tokens.authenticate(token).isPresent(), "recreated: another uid");
    live.remove("serviceaccounts/team/builder");
    assertFalse(tokens.authenticate(token).isPresent(), "deleted");
  }

  @Test
  void aPodBoundTokenLivesOnlyAsLongAsThePod() {
    live.put("pods/team/runner", "uid-pod-1");
    String token = tokens.issue("team", "builder", "uid-sa-1", List.of(), 3600,
        new ServiceAccountTokens.BoundObject("Pod", "runner", "uid-pod-1")).token();
    assertTrue(tokens.authenticate(token).isPresent());
    live.remove("pods/team/runner");
    assertFalse(tokens.authenticate(token).isPresent());
  }

  @Test
  void forgedTamperedAndForeignTokensAreRefused() throws Exception {
    String token = tokens.issue("team", "builder", "uid-sa-1", List.of(), 3600, null).token();
    String[] parts = token.split("\\.");
    String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("builder", "admin0x").getBytes());
    assertFalse(tokens.authenticate(parts[0] + "." + otherPayload + "." + parts[2]).isPresent(), "tampered claims");
    assertFalse(tokens.authenticate(parts[0] + "." + parts[1] + ".").isPresent(), "no signature");
    assertFalse(tokens.authenticate("a.b.c").isPresent());
    assertFalse(tokens.authenticate("not-a-jwt").isPresent());

    KeyPair other = rsa();
    ServiceAccountTokens foreign = new ServiceAccountTokens(other.getPrivate(), (RSAPublicKey) other.getPublic(), clock,
        (r, n, m) -> "uid-sa-1");
    assertFalse(tokens.authenticate(foreign.issue("team", "builder", "uid-sa-1", List.of(), 3600, null).token())
        .isPresent(), "signed by another cluster's key");
  }
}
