package io.kemu.kubelet.shell;

/**
 * A script that does not parse. {@code token} is what was found where it did not fit ("end of file" at the end),
 * so each shell flavour can word the error its own way.
 */
public final class ShellSyntaxException extends RuntimeException {
  private final String token;
  private final int line;

  public ShellSyntaxException(String token, int line) {
    super("syntax error: unexpected " + token, null, false, false);
    this.token = token;
    this.line = line;
  }

  public String token() {
    return token;
  }

  public int line() {
    return line;
  }
}
