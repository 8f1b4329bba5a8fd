package io.kemu.apiserver.authn;

import io.kemu.api.auth.TokenFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication: the static token file (--token-auth-file), then service-account tokens (the union
 * authenticator of kube-apiserver tries them in turn). The file is re-read when it changes, so that kubelet
 * identities added by a later cluster-up with more nodes, or users added by hand, are known without restarting the
 * apiserver.
 */
public final class TokenAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);

  private final Path file;
  private volatile Map<String, TokenFile.Entry> tokens = Map.of();
  private volatile FileTime loadedAt;
  private final ServiceAccountTokens serviceAccounts;

  public TokenAuthenticator(Path file) {
    this(file, null);
  }

  public TokenAuthenticator(Path file, ServiceAccountTokens serviceAccounts) {
    this.file = file;
    this.serviceAccounts = serviceAccounts;
    reloadIfChanged();
  }

  /** The issuer of service-account tokens, or null when the cluster has no signing key. */
  public ServiceAccountTokens serviceAccounts() {
    return serviceAccounts;
  }

  /** The user of a bearer token, with system:authenticated added as kube-apiserver does. */
  public Optional<UserInfo> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    TokenFile.Entry e = tokens.get(token);
    if (e == null) {
      reloadIfChanged();
      e = tokens.get(token);
    }
    if (e == null) {
      return serviceAccounts == null ? Optional.empty() : serviceAccounts.authenticate(token);
    }
    List<String> groups = new ArrayList<>(e.groups());
    groups.removeIf(String::isEmpty);
    if (!groups.contains(UserInfo.ALL_AUTHENTICATED)) {
      groups.add(UserInfo.ALL_AUTHENTICATED);
    }
    return Optional.of(new UserInfo(e.user(), e.uid(), List.copyOf(groups)));
  }

  private synchronized void reloadIfChanged() {
    try {
      FileTime mtime = Files.getLastModifiedTime(file);
      if (mtime.equals(loadedAt)) {
        return;
      }
      tokens = TokenFile.read(file);
      loadedAt = mtime;
      log.info("loaded {} tokens from {}", tokens.size(), file);
    } catch (IOException e) {
      log.error("cannot read token file {}: {}", file, e.toString());
    }
  }
}
