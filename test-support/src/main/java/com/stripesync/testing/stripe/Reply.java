package com.stripesync.testing.stripe;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the fake sends back for one request: a status, JSON body and headers, or nothing at all. */
record Reply(int status, byte[] body, Map<String, String> headers, boolean dropConnection) {

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, Object json) {
        return new Reply(status, StripeJson.bytes(json), Map.of(), false);
    }

    static Reply error(StripeApiError error) {
        return json(error.status(), error.body());
    }

    static Reply dropped() {
        return new Reply(0, new byte[0], Map.of(), true);
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, more, dropConnection);
    }
}
