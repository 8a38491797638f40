package com.stripesync.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * A statement written with jOOQ's DSL whose SQL is rendered once: it is built over placeholders
 * ({@link Placeholders#next}), and each run hands jOOQ the rendered text with that run's values in the
 * placeholders' places, which jOOQ binds as usual (same types, same listeners, same exceptions).
 *
 * <p>For statements whose text does not depend on their values, such as those that take every set as one
 * array bind. jOOQ renders a query's whole tree each time it runs it: for the inbound batch store's
 * eleven statements per batch that was a fifth of the worker's CPU time in a benchmark profile; filling a
 * rendered text's placeholders is a scan of the string.
 *
 * <p>At its making a statement renders itself both ways, as the DSL would and from the text, and refuses to
 * exist if the two differ.
 */
public final class RenderedOnce {

    private static final String PREFIX = "rendered_once_";

    private final String template;
    private final List<DataType<?>> types;

    private RenderedOnce(String template, List<DataType<?>> types) {
        this.template = template;
        this.types = List.copyOf(types);
    }

    /**
     * Renders the statement {@code build} makes over placeholders, as {@code dsl} would render it.
     *
     * @throws IllegalStateException when the text filled with values would not be the DSL's own rendering
     */
    public static RenderedOnce of(DSLContext dsl, Function<Placeholders, ? extends Query> build) {
        Placeholders placeholders = new Placeholders();
        Query query = build.apply(placeholders);
        String template = dsl.renderNamedParams(query);
        // Last placeholder first: ":rendered_once_1" must not take the start of ":rendered_once_12".
        for (int i = placeholders.params.size() - 1; i >= 0; i--) {
            Param<?> param = placeholders.params.get(i);
            String alone = dsl.renderNamedParams(param);
            if (!template.contains(alone)) {
                throw new IllegalStateException("Placeholder " + param.getParamName() + " is not rendered as " + alone
                        + " in: " + template);
            }
            template = template.replace(alone, "{" + i + "}");
        }
        if (template.contains(":" + PREFIX)) {
            throw new IllegalStateException("A placeholder is left in: " + template);
        }
        RenderedOnce statement = new RenderedOnce(template, placeholders.types());
        // The placeholders hold no value: both renderings bind nulls.
        String expected = dsl.render(query);
        String filled = dsl.render(statement.query(dsl, new Object[placeholders.params.size()]));
        if (!expected.equals(filled)) {
            throw new IllegalStateException("The rendered text, filled, is not the statement: " + filled
                    + " instead of " + expected);
        }
        return statement;
    }

    /**
     * The statement with these values, one per placeholder in the order they were made, for rows. A single value
     * that is an array is passed as {@code (Object) array}, or Java would spread it over the placeholders.
     */
    public ResultQuery<Record> query(DSLContext dsl, @Nullable Object... values) {
        return dsl.resultQuery(template, binds(values));
    }

    /** Runs the statement with these values, one per placeholder in the order they were made. */
    public int execute(DSLContext dsl, @Nullable Object... values) {
        return dsl.execute(template, binds(values));
    }

    /** The text with its placeholders' places marked ({@code {0}}, {@code {1}}, ...). */
    String template() {
        return template;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private QueryPart[] binds(@Nullable Object... values) {
        if (values.length != types.size()) {
            throw new IllegalArgumentException(types.size() + " values expected, not " + values.length);
        }
        QueryPart[] binds = new QueryPart[values.length];
        for (int i = 0; i < values.length; i++) {
            binds[i] = DSL.val(values[i], (DataType) types.get(i));
        }
        return binds;
    }

    /** Hands out the placeholders of one statement, in order. */
    public static final class Placeholders {

        private final List<Param<?>> params = new ArrayList<>();

        private Placeholders() {
        }

        /** The next placeholder: a bind of {@code type}. */
        public <T> Param<T> next(DataType<T> type) {
            Param<T> param = DSL.param(PREFIX + params.size(), Objects.requireNonNull(type, "type"));
            params.add(param);
            return param;
        }

        private List<DataType<?>> types() {
            return params.stream().<DataType<?>>map(Param::getDataType).toList();
        }
    }
}
