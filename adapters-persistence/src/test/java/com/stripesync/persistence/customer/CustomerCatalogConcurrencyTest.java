package com.stripesync.persistence.customer;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.lower;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog's rules hold under concurrent writers: the database, not luck, enforces them. */
@ExtendWith(PostgresExtension.class)
class CustomerCatalogConcurrencyTest {

    private static final int WRITERS = 10;

    private PostgresDatabase database;
    private CustomerCatalog catalog;
    private DSLContext sql;
    private ExecutorService threads;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        // A connection per writer, so that all of them really are in the database at once.
        database = PostgresDatabase.open(TestSettings.of(testDatabase, WRITERS + 2));
        catalog = database.customerCatalog();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        threads = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void tenConcurrentAddsWithOneEmailLetExactlyOneSucceed() throws Exception {
        List<Optional<Throwable>> outcomes = race(WRITERS,
                writer -> () -> catalog.add(registered("Writer " + writer, writer % 2 == 0 ? "same@x.io" : "SAME@x.io")));

        assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(outcomes).filteredOn(Optional::isPresent)
                .hasSize(WRITERS - 1)
                .allSatisfy(failure -> assertThat(failure).containsInstanceOf(EmailAlreadyInUse.class));
        assertThat(sql.fetchCount(CUSTOMERS, lower(CUSTOMERS.EMAIL).eq("same@x.io"))).isEqualTo(1);
    }

    @Test
    void twoConcurrentReplacesFromTheSameVersionLetExactlyOneWin() throws Exception {
        // Several rounds: a lock-free read-then-write would let both win in some of them.
        for (int round = 0; round < 10; round++) {
            Customer original = registered("Round " + round, "round" + round + "@x.io");
            catalog.add(original);
            List<Customer> contenders = List.of(
                    original.change(new CustomerName("Left " + round), null, T0.plusSeconds(1)),
                    original.change(new CustomerName("Right " + round), null, T0.plusSeconds(2)));

            List<Optional<Throwable>> outcomes = race(2, contender -> () -> catalog.replace(contenders.get(contender)));

            assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
            assertThat(outcomes).filteredOn(Optional::isPresent).singleElement()
                    .satisfies(failure -> assertThat(failure).containsInstanceOf(StaleVersion.class));
            Customer winner = contenders.get(outcomes.get(0).isEmpty() ? 0 : 1);
            assertThat(catalog.find(original.id())).map(LinkedCustomer::customer).contains(winner);
        }
    }

    /** Runs the tasks at once, released together after all have started; what each threw, if anything. */
    private List<Optional<Throwable>> race(int count, IntFunction<Runnable> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Throwable>>> futures = new ArrayList<>();
        for (int i : IntStream.range(0, count).toArray()) {
            Runnable work = task.apply(i);
            futures.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                try {
                    work.run();
                    return Optional.<Throwable>empty();
                } catch (RuntimeException e) {
                    return Optional.<Throwable>of(e);
                }
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Optional<Throwable>> outcomes = new ArrayList<>();
        for (Future<Optional<Throwable>> future : futures) {
            outcomes.add(future.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
