package io.kemu.conf.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

    @TempDir
    Path tmp;

    Pki pki() throws Exception {
        return Pki.ensure(tmp.resolve("pki"), PkiOptions.defaults());
    }

    Path writeKemuConfig(Pki pki, Map<String, String> tokens) throws Exception {
        Path file = tmp.resolve("kubeconfig");
        Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caCrt(), tokens, List.of("admin", "viewer"), "admin");
        return file;
    }

    @Test
    void parsesBack() throws Exception {
        Pki pki = pki();
        Map<String, String> tokens = Tokens.ensure(tmp.resolve("tokens.csv"), Identity.kemu(List.of()));
        Path file = writeKemuConfig(pki, tokens);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        JsonNode root = new YAMLMapper().readTree(file.toFile());
        assertEquals("v1", root.path("apiVersion").asText());
        assertEquals("Config", root.path("kind").asText());
        assertEquals("admin", root.path("current-context").asText());

        assertEquals(1, root.path("clusters").size());
        JsonNode cluster = root.path("clusters").get(0);
        assertEquals("kemu", cluster.path("name").asText());
        assertEquals("https://127.0.0.1:6443", cluster.path("cluster").path("server").asText());
        byte[] ca = Base64.getDecoder().decode(cluster.path("cluster").path("certificate-authority-data").asText());
        assertArrayEquals(Files.readAllBytes(pki.caCrt()), ca);

        assertEquals(2, root.path("users").size());
        assertEquals(2, root.path("contexts").size());
        for (int i = 0; i < 2; i++) {
            String name = List.of("admin", "viewer").get(i);
            JsonNode user = root.path("users").get(i);
            assertEquals(name, user.path("name").asText());
            assertEquals(tokens.get(name), user.path("user").path("token").asText());
            JsonNode ctx = root.path("contexts").get(i);
            assertEquals(name, ctx.path("name").asText());
            assertEquals("kemu", ctx.path("context").path("cluster").asText());
            assertEquals(name, ctx.path("context").path("user").asText());
            assertEquals("default", ctx.path("context").path("namespace").asText());
        }
    }

    @Test
    void tokensThatLookLikeNumbersStayStrings() throws Exception {
        Pki pki = pki();
        String digits = "1234567890".repeat(6) + "1234";
        Path file = writeKemuConfig(pki, Map.of("admin", digits, "viewer", "1e10"));
        JsonNode root = new YAMLMapper().readTree(file.toFile());
        assertEquals(digits, root.path("users").get(0).path("user").path("token").textValue());
        assertEquals("1e10", root.path("users").get(1).path("user").path("token").textValue());
    }

    @Test
    void rejectsInconsistentArguments() throws Exception {
        Pki pki = pki();
        Path file = tmp.resolve("kc");
        Map<String, String> tokens = Map.of("admin", "a", "viewer", "v");
        assertThrows(IllegalArgumentException.class,
                () -> Kubeconfig.write(file, "http://127.0.0.1:6443", pki.caCrt(), tokens, List.of("admin"), "admin"));
        assertThrows(IllegalArgumentException.class,
                () -> Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caCrt(), tokens, List.of("admin", "ghost"), "admin"));
        assertThrows(IllegalArgumentException.class,
                () -> Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caCrt(), tokens, List.of("admin"), "viewer"));
        assertThrows(IllegalArgumentException.class,
                () -> Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caCrt(), tokens, List.of("admin", "admin"), "admin"));
        assertThrows(java.io.IOException.class,
                () -> Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caKey(), tokens, List.of("admin"), "admin"));
        assertEquals(false, Files.exists(file));
    }

    @Test
    void kubectlReadsIt() throws Exception {
        Path kubectl = Kubectl.find();
        assumeTrue(kubectl != null, "kubectl is not on the PATH");
        Pki pki = pki();
        Map<String, String> tokens = Tokens.ensure(tmp.resolve("tokens.csv"), Identity.kemu(List.of()));
        Path file = writeKemuConfig(pki, tokens);
        Kubectl.Result r = Kubectl.run(kubectl, tmp, "config", "view", "--kubeconfig", file.toString(),
                "-o", "jsonpath={.current-context}");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("admin", r.stdout());
        r = Kubectl.run(kubectl, tmp, "config", "view", "--kubeconfig", file.toString(), "--raw",
                "-o", "jsonpath={.users[?(@.name==\"viewer\")].user.token}");
        assertEquals(tokens.get("viewer"), r.stdout(), r.toString());
        r = Kubectl.run(kubectl, tmp, "config", "view", "--kubeconfig", file.toString(), "--raw", "--minify",
                "--context", "viewer", "-o", "jsonpath={.contexts[0].context.namespace}/{.clusters[0].name}");
        assertEquals("default/kemu", r.stdout(), r.toString());
    }
}
