package io.kemu.conf.pki;

import io.kemu.api.SecureFiles;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kemu.apiserver.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kubeconfig files for kemu's API server. */
public final class Kubeconfig {

    /** The name of the only cluster entry. */
    public static final String CLUSTER = "kemu";
    public static final String NAMESPACE = "default";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private Kubeconfig() {
    }

    /**
     * Writes a kubeconfig (atomically, mode 600): one cluster {@value #CLUSTER} with {@code server} and
     * the CA file's bytes as {@code certificate-authority-data}; for each name in {@code contexts} a user
     * of that name authenticating with {@code userTokens.get(name)} and a context of that name (cluster
     * {@value #CLUSTER}, that user, namespace {@value #NAMESPACE}); {@code current-context} as given.
     *
     * @throws IllegalArgumentException when the server is not https, a context has no token, contexts are
     *     empty or repeated, or {@code currentContext} is not one of them
     * @throws IOException when the CA file cannot be read or holds no certificate
     */
    public static void write(Path file, String serverUrl, Path caCrt, Map<String, String> userTokens,
            List<String> contexts, String currentContext) throws IOException {
        if (serverUrl == null || !serverUrl.startsWith("https://")) {
            throw new IllegalArgumentException("server must be an https:// URL (kubectl sends tokens only over"
                    + " TLS): " + serverUrl);
        }
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("no context");
        }
        if (new HashSet<>(contexts).size() != contexts.size()) {
            throw new IllegalArgumentException("repeated context name in " + contexts);
        }
        if (!contexts.contains(currentContext)) {
            throw new IllegalArgumentException("current context '" + currentContext + "' is not in " + contexts);
        }
        for (String c : contexts) {
            String token = userTokens.get(c);
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("no token for user '" + c + "'");
            }
        }
        byte[] caPem = Files.readAllBytes(caCrt);
        try {
            Pem.readCertificates(caCrt); // fail here, not in kubectl, if it is no certificate
        } catch (GeneralSecurityException e) {
            throw new IOException(caCrt + ": " + e.getMessage(), e);
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(ordered("name", CLUSTER, "cluster", ordered(
                "server", serverUrl,
                "certificate-authority-data", Base64.getEncoder().encodeToString(caPem)))));
        List<Object> users = new ArrayList<>();
        List<Object> ctxs = new ArrayList<>();
        for (String c : contexts) {
            users.add(ordered("name", c, "user", Map.of("token", userTokens.get(c))));
            ctxs.add(ordered("name", c, "context", ordered("cluster", CLUSTER, "user", c, "namespace", NAMESPACE)));
        }
        config.put("users", users);
        config.put("contexts", ctxs);
        config.put("current-context", currentContext);
        config.put("preferences", Map.of());
        SecureFiles.writeAtomically(file, YAML.writeValueAsBytes(config), SecureFiles.OWNER_ONLY);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
