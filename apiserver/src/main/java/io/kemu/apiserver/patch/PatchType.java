package io.kemu.apiserver.patch;

import java.util.List;
import java.util.Optional;

/** The PATCH Content-Types kube-apiserver knows ({@code k8s.io/apimachinery/pkg/types.PatchType}). */
public enum PatchType {
  /** RFC 6902 JSON patch ({@code kubectl patch --type=json}). */
  JSON("application/json-patch+json"),
  /** RFC 7386 JSON merge patch ({@code kubectl label/annotate/scale}, {@code kubectl apply} of custom resources). */
  MERGE("application/merge-patch+json"),
  /** Strategic merge patch ({@code kubectl apply/edit/patch} of built-in kinds). */
  STRATEGIC("application/strategic-merge-patch+json"),
  /** Server-side apply; recognised here, applied elsewhere. */
  APPLY("application/apply-patch+yaml");

  /**
   * What a built-in resource's PATCH route consumes (apiserver installer.go; the CBOR apply type only exists
   * behind the alpha CBORServingAndStorage gate, off in 1.32).
   */
  public static final List<PatchType> BUILTIN = List.of(JSON, MERGE, STRATEGIC, APPLY);
  /** What a custom resource accepts: no strategic merge patch (apiextensions customresource_handler.go). */
  public static final List<PatchType> CUSTOM_RESOURCE = List.of(JSON, MERGE, APPLY);

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The patch type of a Content-Type header. Like the handler, everything from the first {@code ;} on
   * ({@code ; charset=utf-8}) is ignored; surrounding blanks are trimmed as go-restful does; the comparison
   * is exact (case-sensitive), as kube's is.
   */
  public static Optional<PatchType> fromContentType(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String ct = header;
    int semi = ct.indexOf(';');
    if (semi >= 0) {
      ct = ct.substring(0, semi);
    }
    ct = ct.strip();
    for (PatchType t : values()) {
      if (t.contentType.equals(ct)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The patch type of a request, or the 415 kube answers when the resource does not accept it: unknown
   * Content-Types everywhere, and {@link #STRATEGIC} for custom resources.
   */
  public static PatchType require(String header, boolean customResource) {
    List<PatchType> accepted = customResource ? CUSTOM_RESOURCE : BUILTIN;
    Optional<PatchType> t = fromContentType(header);
    if (t.isEmpty() || !accepted.contains(t.get())) {
      throw PatchException.unsupportedMediaType(accepted, customResource);
    }
    return t.get();
  }
}
