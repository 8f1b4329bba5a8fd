package io.kemu.apiserver.defaults;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container image references parsed as {@code parsers.ParseImageName} (pkg/util/parsers) does with
 * {@code reference.ParseNormalizedNamed} from github.com/distribution/reference (normalize.go, reference.go,
 * regexp.go): familiar names are normalized ({@code nginx} becomes {@code docker.io/library/nginx}) and a reference
 * with neither tag nor digest gets the tag {@code latest}.
 *
 * @param repository the normalized repository name, e.g. {@code docker.io/library/nginx}
 * @param tag        the tag ("" when only a digest was given)
 * @param digest     the digest ("" when none)
 */
public record ImageReference(String repository, String tag, String digest) {

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String DOMAIN_NAME_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_NAME_COMPONENT + "(?:\\." + DOMAIN_NAME_COMPONENT + ")*";
    private static final String IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String HOST = "(?:" + DOMAIN_NAME + "|" + IPV6_ADDRESS + ")";
    private static final String DOMAIN_AND_PORT = HOST + "(?::[0-9]+)?";
    private static final String NAME_PAT = "(?:" + DOMAIN_AND_PORT + "/)?" + REMOTE_NAME;
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST_PAT = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

    private static final Pattern REFERENCE = Pattern.compile(
            "(" + NAME_PAT + ")(?::(" + TAG + "))?(?:@(" + DIGEST_PAT + "))?");
    private static final Pattern ANCHORED_NAME = Pattern.compile("(?:(" + DOMAIN_AND_PORT + ")/)?(" + REMOTE_NAME + ")");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern DIGEST_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");
    private static final Map<String, Integer> DIGEST_LENGTHS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    /** Thrown when the reference does not parse (upstream's error text). */
    public static final class InvalidReferenceException extends IllegalArgumentException {
        public InvalidReferenceException(String msg) {
            super(msg);
        }
    }

    /** {@code parsers.ParseImageName}. */
    public static ImageReference parse(String image) {
        if (IDENTIFIER.matcher(image).matches()) {
            throw new InvalidReferenceException("couldn't parse image name: invalid repository name (" + image
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int slash = image.indexOf('/');
        if (slash < 0) {
            domain = "docker.io";
            remainder = "library/" + image;
        } else {
            String maybeDomain = image.substring(0, slash);
            String maybeRemote = image.substring(slash + 1);
            if (maybeDomain.equals("localhost")) {
                domain = maybeDomain;
                remainder = maybeRemote;
            } else if (maybeDomain.equals("index.docker.io")) {
                domain = "docker.io";
                remainder = maybeRemote;
            } else if (maybeDomain.contains(".") || maybeDomain.contains(":")) {
                domain = maybeDomain;
                remainder = maybeRemote;
            } else if (!maybeDomain.toLowerCase(Locale.ROOT).equals(maybeDomain)) {
                domain = maybeDomain;
                remainder = maybeRemote;
            } else {
                domain = "docker.io";
                remainder = image;
            }
            if (domain.equals("docker.io") && !remainder.contains("/")) {
                remainder = "library/" + remainder;
            }
        }
        int colon = remainder.indexOf(':');
        String remote = colon >= 0 ? remainder.substring(0, colon) : remainder;
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            throw new InvalidReferenceException("couldn't parse image name: invalid reference format: repository name ("
                    + remote + ") must be lowercase");
        }
        String s = domain + "/" + remainder;
        Matcher m = REFERENCE.matcher(s);
        if (!m.matches()) {
            throw new InvalidReferenceException("couldn't parse image name: invalid reference format");
        }
        String name = m.group(1);
        Matcher nm = ANCHORED_NAME.matcher(name);
        String path = nm.matches() ? nm.group(2) : name;
        if (path.length() > 255) {
            throw new InvalidReferenceException("couldn't parse image name: repository name must not be more than 255 characters");
        }
        String tag = m.group(2) == null ? "" : m.group(2);
        String digest = m.group(3) == null ? "" : m.group(3);
        if (!digest.isEmpty()) {
            validateDigest(digest);
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = "latest";
        }
        return new ImageReference(name, tag, digest);
    }

    /** Like {@link #parse} but returns null where upstream returns an error. */
    public static ImageReference tryParse(String image) {
        try {
            return parse(image == null ? "" : image);
        } catch (InvalidReferenceException e) {
            return null;
        }
    }

    // go-digest Parse + Validate with sha256/sha384/sha512 available
    private static void validateDigest(String d) {
        int i = d.indexOf(':');
        if (i <= 0 || i + 1 == d.length()) {
            throw new InvalidReferenceException("couldn't parse image name: invalid checksum digest format");
        }
        String alg = d.substring(0, i);
        String encoded = d.substring(i + 1);
        if (!DIGEST_ALGORITHM.matcher(alg).matches()) {
            throw new InvalidReferenceException("couldn't parse image name: invalid checksum digest format");
        }
        Integer len = DIGEST_LENGTHS.get(alg);
        if (len == null) {
            throw new InvalidReferenceException("couldn't parse image name: unsupported digest algorithm");
        }
        if (encoded.length() != len || !encoded.matches("[a-f0-9]+")) {
            throw new InvalidReferenceException("couldn't parse image name: invalid checksum digest length");
        }
    }
}
