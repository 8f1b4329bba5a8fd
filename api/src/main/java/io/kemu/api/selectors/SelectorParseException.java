package io.kemu.api.selectors;

/** A selector that does not parse; the message follows apimachinery's wording (the server answers 400). */
public final class SelectorParseException extends IllegalArgumentException {
  public SelectorParseException(String message) {
    super(message);
  }
}
