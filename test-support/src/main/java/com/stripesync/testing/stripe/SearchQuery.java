package com.stripesync.testing.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The part of Stripe's search query language the fake understands: exact-match clauses joined by
 * {@code AND}, on {@code email}, {@code name}, {@code phone} and {@code metadata['key']}, with values in
 * single or double quotes, e.g. {@code metadata['stripe_sync_id']:'0b6e...' AND email:'a@b.example'}.
 * Email and name compare case-insensitively, metadata exactly. Anything else is answered with 400, so a
 * test never passes on a query the fake silently misread.
 */
record SearchQuery(List<Clause> clauses) {

    record Clause(String field, @Nullable String metadataKey, String value) {

        boolean matches(FakeCustomer customer) {
            return switch (field) {
                case "email" -> equalsIgnoreCase(customer.email(), value);
                case "name" -> equalsIgnoreCase(customer.name(), value);
                case "phone" -> value.equals(customer.phone());
                case "metadata" -> value.equals(customer.metadata().get(Objects.requireNonNull(metadataKey)));
                default -> false;
            };
        }

        private static boolean equalsIgnoreCase(@Nullable String actual, String expected) {
            return actual != null && actual.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
        }
    }

    SearchQuery {
        clauses = List.copyOf(clauses);
    }

    boolean matches(FakeCustomer customer) {
        return clauses.stream().allMatch(clause -> clause.matches(customer));
    }

    static SearchQuery parse(String text) {
        Parser parser = new Parser(text);
        List<Clause> clauses = new ArrayList<>();
        clauses.add(parser.clause());
        while (parser.skipSpaces()) {
            parser.keyword("AND");
            clauses.add(parser.clause());
        }
        return new SearchQuery(clauses);
    }

    private static final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        /** Skips blanks; true when more input follows. */
        boolean skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
            return at < text.length();
        }

        void keyword(String word) {
            if (!text.startsWith(word + " ", at)) {
                throw invalid("expected " + word);
            }
            at += word.length();
        }

        Clause clause() {
            skipSpaces();
            int start = at;
            while (at < text.length() && Character.isLetter(text.charAt(at))) {
                at++;
            }
            String field = text.substring(start, at);
            String metadataKey = null;
            if (field.equals("metadata")) {
                expect('[');
                metadataKey = quoted();
                expect(']');
            } else if (!List.of("email", "name", "phone").contains(field)) {
                throw invalid("unsupported field '" + field + "'");
            }
            expect(':');
            return new Clause(field, metadataKey, quoted());
        }

        private String quoted() {
            if (at >= text.length() || (text.charAt(at) != '\'' && text.charAt(at) != '"')) {
                throw invalid("expected a quoted value");
            }
            char quote = text.charAt(at++);
            StringBuilder value = new StringBuilder();
            while (at < text.length() && text.charAt(at) != quote) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    c = text.charAt(at++);
                }
                value.append(c);
            }
            expect(quote);
            return value.toString();
        }

        private void expect(char c) {
            if (at >= text.length() || text.charAt(at) != c) {
                throw invalid("expected '" + c + "'");
            }
            at++;
        }

        private StripeApiError invalid(String why) {
            return StripeApiError.invalidRequest("parameter_invalid_string",
                    "Invalid search query at position " + at + ": " + why + " (the fake supports"
                            + " field:'value' clauses joined by AND)", "query");
        }
    }
}
