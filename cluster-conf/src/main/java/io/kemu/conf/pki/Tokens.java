package io.kemu.conf.pki;

import io.kemu.api.SecureFiles;

import io.kemu.api.auth.TokenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bearer tokens of kemu's identities in the static token file ({@link TokenFile}). */
public final class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /**
     * Makes sure every identity has a line in the token file and returns user → token, in the order of
     * {@code identities}.
     *
     * <p>A user that already has a line keeps it byte for byte, token, uid and groups alike (if the
     * groups differ from the identity's, the file wins and a warning is logged: someone edited it).
     * When a user has several lines, the first one's token is returned. Missing users get a new line
     * {@code <64 hex chars>,<user>,<user>,<groups>} (32 bytes from {@link SecureRandom}; the uid is the
     * user name, as kube-up did), appended to the existing text; the file is then replaced atomically
     * with mode 600. When nothing is missing, the file is not touched.
     *
     * @throws TokenFile.TokenFileException when the existing file is malformed (it is left alone)
     */
    public static Map<String, String> ensure(Path tokenFile, List<Identity> identities) throws IOException {
        String text = "";
        Map<String, TokenFile.Entry> byUser = new HashMap<>();
        if (Files.exists(tokenFile)) {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8);
            for (TokenFile.Entry e : TokenFile.read(tokenFile).values()) {
                byUser.putIfAbsent(e.user(), e);
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        List<TokenFile.Entry> added = new ArrayList<>();
        for (Identity id : identities) {
            if (result.containsKey(id.user())) {
                continue;
            }
            TokenFile.Entry e = byUser.get(id.user());
            if (e == null) {
                e = new TokenFile.Entry(newToken(), id.user(), id.user(), id.groups());
                byUser.put(id.user(), e);
                added.add(e);
            } else if (!e.groups().equals(id.groups())) {
                log.warn("{}: user {} has groups {} in the file, kemu expects {}; keeping the file's line",
                        tokenFile, id.user(), e.groups(), id.groups());
            }
            result.put(id.user(), e.token());
        }
        if (!added.isEmpty()) {
            StringBuilder out = new StringBuilder(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.append('\n');
            }
            for (TokenFile.Entry e : added) {
                out.append(TokenFile.format(e)).append('\n');
            }
            SecureFiles.writeAtomically(tokenFile, out.toString().getBytes(StandardCharsets.UTF_8),
                    SecureFiles.OWNER_ONLY);
            log.info("{}: added tokens for {}", tokenFile, added.stream().map(TokenFile.Entry::user).toList());
        }
        return result;
    }

    /** 32 random bytes as 64 lower-case hex characters. */
    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
