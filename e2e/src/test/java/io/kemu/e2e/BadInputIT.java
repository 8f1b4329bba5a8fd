package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input straight on the wire (what kubectl would never send): every request gets a Status with kube-apiserver's
 * code and reason, nothing is stored, no JVM logs an ERROR or dies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class BadInputIT {
  static final ObjectMapper JSON = new ObjectMapper();
  KemuCluster cluster;
  HttpClient http;
  String server;
  String adminToken;
  String viewerToken;

  record Answer(int code, JsonNode body, String raw) {
    String reason() {
      return body == null ? null : body.path("reason").asText(null);
    }

    @Override
    public String toString() {
      return code + " " + raw;
    }
  }

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(2, 1, 10);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cluster.runDir().resolve("pki/ca.crt"))) {
      trust.setCertificateEntry("kemu-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    server = cluster.kubectl("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}").out().trim();
    adminToken = cluster.tokenOf("admin");
    viewerToken = cluster.tokenOf("viewer");
    assertTrue(cluster.kubectl("create", "namespace", "bad").ok());
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  Answer send(String method, String path, String contentType, byte[] body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = JSON.readTree(resp.body());
    } catch (Exception ignored) {
      // asserted by the caller
    }
    return new Answer(resp.statusCode(), json, resp.body());
  }

  Answer post(String path, String contentType, String body) throws Exception {
    return send("POST", path, contentType, body.getBytes(), adminToken);
  }

  /** A Status of kind Status, with the code in the body equal to the HTTP one. */
  static Answer status(Answer a, int code, String reason) {
    assertEquals(code, a.code(), a.toString());
    assertTrue(a.body() != null && "Status".equals(a.body().path("kind").asText()), "not a Status: " + a);
    assertEquals("Failure", a.body().path("status").asText(), a.toString());
    assertEquals(code, a.body().path("code").asInt(), a.toString());
    assertEquals(reason, a.reason(), a.toString());
    return a;
  }

  static final String PODS = "/api/v1/namespaces/bad/pods";

  @Test
  @Order(1)
  void malformedBodies() throws Exception {
    status(post(PODS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"), 400, "BadRequest");
    status(post(PODS, "application/yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"), 400,
        "BadRequest");
    status(post(PODS, "application/json", ""), 400, "BadRequest");
    status(post(PODS, "application/json", "[1,2,3]"), 400, "BadRequest");
    status(post(PODS, "application/json", "\u0000\u0001binary"), 400, "BadRequest");
    // a field of the wrong type: kube's "cannot be handled as a Pod" 400
    Answer wrongType = status(post(PODS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"t\"},\"spec\":{\"containers\":\"nginx\"}}"),
        400, "BadRequest");
    assertTrue(wrongType.body().path("message").asText().contains("cannot be handled as a Pod"), wrongType.toString());
    status(post(PODS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"t\"},\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"nginx\",\"ports\":[{\"containerPort\":\"eighty\"}]}]}}"), 400, "BadRequest");
    // a body of another kind than the URL names
    status(post(PODS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}"), 400, "BadRequest");
  }

  @Test
  @Order(2)
  void unknownFieldsUnderStrictValidation() throws Exception {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"strict\"},\"spec\":{\"containers\":"
        + "[{\"name\":\"c\",\"image\":\"nginx\",\"imagePullPolicyy\":\"Always\"}],\"foo\":1}}";
    Answer strict = status(post(PODS + "?fieldValidation=Strict", "application/json", pod), 400, "BadRequest");
    String message = strict.body().path("message").asText();
    assertTrue(message.contains("strict decoding error"), message);
    assertTrue(message.contains("unknown field \"spec.containers[0].imagePullPolicyy\""), message);
    assertTrue(message.contains("unknown field \"spec.foo\""), message);
    // Warn (kubectl's default) stores the object and answers with Warning headers
    Answer warn = post(PODS + "?fieldValidation=Warn&dryRun=All", "application/json", pod);
    assertEquals(201, warn.code(), warn.toString());
  }

  @Test
  @Order(3)
  void bodiesOverThreeMebibytes() throws Exception {
    String big = "x".repeat(3 * 1024 * 1024 + 10);
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + big
        + "\"}}";
    status(post("/api/v1/namespaces/bad/configmaps", "application/json", cm), 413, "RequestEntityTooLarge");
  }

  @Test
  @Order(4)
  void unknownResourcesVersionsAndMethods() throws Exception {
    status(post("/api/v1/namespaces/bad/widgets", "application/json", "{}"), 404, "NotFound");
    status(post("/apis/apps/v9/namespaces/bad/deployments", "application/json", "{}"), 404, "NotFound");
    status(send("GET", "/apis/nosuch.example.com/v1/things", null, null, adminToken), 404, "NotFound");
    status(post(PODS, "text/plain", "hello"), 415, "UnsupportedMediaType");
    status(send("PUT", PODS, "application/json", "{}".getBytes(), adminToken), 405, "MethodNotAllowed");
    status(send("GET", PODS + "/nope", null, null, adminToken), 404, "NotFound");
  }

  @Test
  @Order(5)
  void invalidNames() throws Exception {
    for (String name : List.of("a/b", "UPPER", "-dash", "..", "a%2Fb", "x".repeat(254))) {
      Answer a = status(post("/api/v1/namespaces/bad/configmaps", "application/json",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":" + JSON.writeValueAsString(name) + "}}"),
          422, "Invalid");
      assertEquals("metadata.name", a.body().path("details").path("causes").path(0).path("field").asText(), a.toString());
    }
    // a dotted name is a valid DNS subdomain for a ConfigMap
    assertEquals(201, post("/api/v1/namespaces/bad/configmaps?dryRun=All", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a.b.c\"}}").code());
    // a name with a slash in the path never reaches a registry
    Answer slash = send("GET", "/api/v1/namespaces/bad/configmaps/a/b", null, null, adminToken);
    assertTrue(slash.code() == 404, slash.toString());
  }

  @Test
  @Order(6)
  void authentication() throws Exception {
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"intruder\"}}";
    status(send("POST", "/api/v1/namespaces/bad/configmaps", "application/json", cm.getBytes(), null), 401,
        "Unauthorized");
    status(send("GET", PODS, null, null, "not-a-token"), 401, "Unauthorized");
    status(send("GET", PODS, null, null, ""), 401, "Unauthorized");
    Answer forbidden = status(send("POST", "/api/v1/namespaces/bad/configmaps", "application/json", cm.getBytes(),
        viewerToken), 403, "Forbidden");
    assertEquals("configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API group \"\" "
        + "in the namespace \"bad\"", forbidden.body().path("message").asText());
    // the viewer may read
    assertEquals(200, send("GET", PODS, null, null, viewerToken).code());
  }

  @Test
  @Order(7)
  void nothingWasStoredAndNoJvmSuffered() {
    assertEquals(0, cluster.json("get", "pods", "-n", "bad").path("items").size());
    assertEquals(0, cluster.json("get", "configmaps", "-n", "bad", "--field-selector", "metadata.name!=kube-root-ca.crt")
        .path("items").size());
    assertEquals(cluster.pids().size(), cluster.alivePids().size(), "every JVM is alive");
    List<String> errors = new ArrayList<>(cluster.logLines(" ERROR "));
    errors.addAll(cluster.logLines("Uncaught"));
    errors.addAll(cluster.logLines("Exception in thread"));
    assertEquals(List.of(), errors);
  }
}
