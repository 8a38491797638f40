package com.stripesync.domain.link;

import java.util.regex.Pattern;

/** The name of an external system ({@code stripe}, {@code salesforce}): lower case, digits and dashes. */
public record SystemName(String value) {

    private static final Pattern SYNTAX = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public SystemName {
        if (value == null || !SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("System names are 1-32 lower-case letters, digits or dashes: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
