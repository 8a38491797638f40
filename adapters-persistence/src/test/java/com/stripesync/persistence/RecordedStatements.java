package com.stripesync.persistence;

import com.stripesync.persistence.transaction.PooledConnections;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;

/** For tests that count or compare the statements a store runs. */
public final class RecordedStatements {

    private RecordedStatements() {
    }

    /**
     * A context wired as the service's (thread-bound transactions over a pool of {@code dataSource}) that adds
     * the text of each statement it runs to {@code statements}.
     */
    public static DSLContext threadBoundContext(DataSource dataSource, List<String> statements) {
        return DSL.using(PooledConnections.threadBoundContext(dataSource, SQLDialect.POSTGRES).configuration()
                .derive(new DefaultExecuteListenerProvider(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext context) {
                        statements.add(context.sql());
                    }
                })));
    }
}
