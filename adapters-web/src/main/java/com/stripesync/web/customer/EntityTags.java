package com.stripesync.web.customer;

import com.stripesync.domain.customer.Version;
import com.stripesync.web.problem.InvalidRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A customer's version as an HTTP entity tag. Only strong tags are handed out ({@code "3"}), so
 * {@code If-Match} accepts {@code *} or exactly one strong tag; weak tags can never match under the
 * strong comparison If-Match requires (RFC 9110, 13.1.1), so they are refused as a client error
 * rather than failing every time with 412.
 */
final class EntityTags {

    static final String IF_MATCH = "If-Match";

    private static final Pattern STRONG_TAG = Pattern.compile("\"([1-9][0-9]{0,17})\"");
    private static final String EXPECTED = "must be * or one strong entity tag as sent in ETag, such as \"3\"";

    private EntityTags() {
    }

    static String of(Version version) {
        return "\"" + version.value() + "\"";
    }

    /** The version the client based its change on; empty without If-Match or with {@code *}. */
    static Optional<Version> ifMatch(Headers headers) {
        List<String> values = headers.all(HeaderNames.IF_MATCH, List::of);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw InvalidRequest.field(IF_MATCH, EXPECTED);
        }
        String value = values.getFirst().strip();
        if (value.equals("*")) {
            return Optional.empty();
        }
        Matcher tag = STRONG_TAG.matcher(value);
        if (!tag.matches()) {
            throw InvalidRequest.field(IF_MATCH, EXPECTED);
        }
        return Optional.of(new Version(Long.parseLong(tag.group(1))));
    }
}
