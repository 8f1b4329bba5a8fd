package io.kemu.apiserver.registry;

import io.kemu.apiserver.authn.UserInfo;
import java.time.Instant;

/** What a registry operation knows of its request. {@code now} is read once per request from the clock. */
public record RequestContext(UserInfo user, boolean dryRun, String fieldManager, Instant now) {}
