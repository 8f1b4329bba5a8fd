package io.kemu.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases of TestParseImageName (pkg/util/parsers/parsers_test.go) and the pull policies SetDefaults_Container derives. */
class ImageReferenceTest {
    static final String SHA = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest
    @CsvSource({
            "root,docker.io/library/root,latest,",
            "root:tag,docker.io/library/root,tag,",
            "user/repo,docker.io/user/repo,latest,",
            "user/repo:tag,docker.io/user/repo,tag,",
            "url:5000/repo,url:5000/repo,latest,",
            "url:5000/repo:tag,url:5000/repo,tag,",
            "localhost/repo,localhost/repo,latest,",
            "index.docker.io/nginx,docker.io/library/nginx,latest,",
            "quay.io/coreos/etcd:v3.5.0,quay.io/coreos/etcd,v3.5.0,"})
    void parsesLikeParseImageName(String in, String repo, String tag, String digest) {
        ImageReference r = ImageReference.parse(in);
        assertEquals(repo, r.repository());
        assertEquals(tag, r.tag());
        assertEquals(digest == null ? "" : digest, r.digest());
    }

    @Test
    void digests() {
        ImageReference r = ImageReference.parse("root@" + SHA);
        assertEquals("docker.io/library/root", r.repository());
        assertEquals("", r.tag());
        assertEquals(SHA, r.digest());
        ImageReference both = ImageReference.parse("url:5000/repo:latest@" + SHA);
        assertEquals("latest", both.tag());
        assertEquals(SHA, both.digest());
    }

    @Test
    void invalidReferences() {
        assertNull(ImageReference.tryParse("ROOT"));
        assertNull(ImageReference.tryParse("http://root"));
        assertNull(ImageReference.tryParse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        assertNull(ImageReference.tryParse(""));
        assertNull(ImageReference.tryParse("root@sha256:abc"));
    }

    @ParameterizedTest
    @CsvSource({
            "nginx,Always", "nginx:latest,Always", "nginx:1.25,IfNotPresent", "registry.local:5000/app,Always",
            "registry.local:5000/app:v1,IfNotPresent", "NGINX,IfNotPresent", "'',IfNotPresent"})
    void pullPolicyFromTag(String image, String policy) {
        assertEquals(policy, PodDefaults.defaultPullPolicy(null, image));
    }

    @Test
    void pullPolicyForDigestsAndExplicitValues() {
        assertEquals("IfNotPresent", PodDefaults.defaultPullPolicy("", "nginx@" + SHA));
        assertEquals("Always", PodDefaults.defaultPullPolicy("", "nginx:latest@" + SHA));
        assertEquals("Never", PodDefaults.defaultPullPolicy("Never", "nginx"));
    }
}
