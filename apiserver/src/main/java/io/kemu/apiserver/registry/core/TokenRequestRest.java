package io.kemu.apiserver.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kemu.apiserver.authn.ServiceAccountTokens;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldErrors;
import io.kemu.apiserver.validation.FieldPath;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * serviceaccounts/token (pkg/registry/core/serviceaccount/storage/token.go TokenREST.Create): issues a bound token
 * for an existing service account — what {@code kubectl create token <sa>} calls. spec.expirationSeconds defaults to
 * an hour and must be at least 10 minutes; spec.audiences default to the API audiences; spec.boundObjectRef may
 * bind the token to a Pod or a Secret of the namespace, whose uid must match when given.
 */
public final class TokenRequestRest {
  static final long DEFAULT_EXPIRATION_SECONDS = 3600;
  static final long MIN_EXPIRATION_SECONDS = 600;
  static final long MAX_EXPIRATION_SECONDS = 1L << 32;

  private final Registry<ServiceAccount> serviceAccounts;
  private final Registry<? extends HasMetadata> pods;
  private final Registry<? extends HasMetadata> secrets;
  private final ServiceAccountTokens tokens;

  public TokenRequestRest(Registry<ServiceAccount> serviceAccounts, Registry<? extends HasMetadata> pods,
                          Registry<? extends HasMetadata> secrets, ServiceAccountTokens tokens) {
    this.serviceAccounts = serviceAccounts;
    this.pods = pods;
    this.secrets = secrets;
    this.tokens = tokens;
  }

  /** The TokenRequest answered with its status (token and expirationTimestamp). */
  public CompletionStage<ObjectNode> create(String namespace, String name, JsonNode body, Instant now) {
    if (tokens == null) {
      throw ApiException.methodNotSupported("", "serviceaccounts/token", "create");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the body of a serviceaccounts/token request must be a TokenRequest");
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("TokenRequest")) {
      throw ApiException.badRequest("the object provided is unrecognized (must be of type TokenRequest): " + kind);
    }
    String bodyNs = body.path("metadata").path("namespace").asText("");
    if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the "
          + "request");
    }
    JsonNode spec = body.path("spec");
    List<FieldError> errs = new ArrayList<>();
    long expiration = DEFAULT_EXPIRATION_SECONDS;
    JsonNode exp = spec.path("expirationSeconds");
    if (!exp.isMissingNode() && !exp.isNull()) {
      if (!exp.canConvertToLong()) {
        throw ApiException.badRequest("TokenRequest in version \"v1\" cannot be handled as a TokenRequest: "
            + "spec.expirationSeconds must be an integer");
      }
      expiration = exp.asLong();
      // validation.ValidateTokenRequest
      if (expiration < MIN_EXPIRATION_SECONDS) {
        errs.add(FieldError.invalid(FieldPath.root("spec", "expirationSeconds"), expiration,
            "may not specify a duration less than 10 minutes"));
      } else if (expiration > MAX_EXPIRATION_SECONDS) {
        errs.add(FieldError.invalid(FieldPath.root("spec", "expirationSeconds"), expiration,
            "may not specify a duration larger than 2^32 seconds"));
      }
    }
    List<String> audiences = new ArrayList<>();
    for (JsonNode a : spec.path("audiences")) {
      audiences.add(a.asText());
    }
    JsonNode ref = spec.path("boundObjectRef");
    String refKind = ref.path("kind").asText("");
    if (ref.isObject() && !refKind.isEmpty() && !refKind.equals("Pod") && !refKind.equals("Secret")) {
      errs.add(FieldError.notSupported(FieldPath.root("spec", "boundObjectRef", "kind"), refKind,
          List.of("Pod", "Secret")));
    }
    if (!errs.isEmpty()) {
      throw ApiException.invalid("authentication.k8s.io", "TokenRequest", name,
          FieldErrors.invalidMessage("TokenRequest.authentication.k8s.io", name, errs), errs.stream().map(e -> new ApiException.Cause(
              e.type().causeType(), e.body(), e.field())).toList());
    }
    long expirationSeconds = expiration;
    return serviceAccounts.get(namespace, name).thenCompose(sa -> boundObject(namespace, ref, refKind)
        .thenApply(bound -> {
          ServiceAccountTokens.Issued issued = tokens.issue(namespace, name, sa.getMetadata().getUid(), audiences,
              expirationSeconds, bound);
          ObjectNode out = JsonNodeFactory.instance.objectNode();
          out.put("kind", "TokenRequest");
          out.put("apiVersion", "authentication.k8s.io/v1");
          ObjectNode meta = out.putObject("metadata");
          meta.put("name", name);
          meta.put("namespace", namespace);
          meta.put("creationTimestamp", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
          ObjectNode outSpec = out.putObject("spec");
          ArrayNode auds = outSpec.putArray("audiences");
          (audiences.isEmpty() ? ServiceAccountTokens.API_AUDIENCES : audiences).forEach(auds::add);
          outSpec.put("expirationSeconds", expirationSeconds);
          if (bound != null) {
            ObjectNode b = outSpec.putObject("boundObjectRef");
            b.put("kind", bound.kind());
            b.put("apiVersion", "v1");
            b.put("name", bound.name());
            b.put("uid", bound.uid());
          } else {
            outSpec.putNull("boundObjectRef");
          }
          ObjectNode status = out.putObject("status");
          status.put("token", issued.token());
          status.put("expirationTimestamp",
              DateTimeFormatter.ISO_INSTANT.format(issued.expiration().truncatedTo(ChronoUnit.SECONDS)));
          return out;
        }));
  }

  private CompletionStage<ServiceAccountTokens.BoundObject> boundObject(String namespace, JsonNode ref, String kind) {
    if (!ref.isObject() || kind.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String refName = ref.path("name").asText("");
    String refUid = ref.path("uid").asText("");
    Registry<? extends HasMetadata> reg = kind.equals("Pod") ? pods : secrets;
    return reg.get(namespace, refName).thenApply(o -> {
      String uid = o.getMetadata().getUid();
      if (!refUid.isEmpty() && !refUid.equals(uid)) {
        throw ApiException.conflict("authentication.k8s.io", "tokenrequests", refName, "the UID in the bound object "
            + "reference (" + refUid + ") does not match the UID in record. The object might have been deleted and "
            + "then recreated");
      }
      return new ServiceAccountTokens.BoundObject(kind, refName, uid);
    });
  }
}
