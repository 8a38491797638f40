package com.stripesync.application.transaction;

import com.stripesync.domain.transaction.UnitOfWork;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A unit of work that numbers its transactions (from 1) and notes, for every call to a watched port, the
 * transaction it ran in (0 when none was open), so a test sees which writes commit together. Work that
 * throws counts as rolled back; the in-memory stores underneath keep its writes, so tests read the
 * journal, not the stores, to tell what would have been undone.
 */
public final class TransactionJournal implements UnitOfWork {

    /** One call to a watched port: {@code Port.method}, and the transaction it joined. */
    public record Entry(int transaction, String call) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Integer> rolledBack = new ArrayList<>();
    private int opened;
    private int current;

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current != 0) {
            return work.get();
        }
        current = ++opened;
        try {
            return work.get();
        } catch (RuntimeException | Error failure) {
            rolledBack.add(current);
            throw failure;
        } finally {
            current = 0;
        }
    }

    /** {@code target} behind a proxy that notes each call in this journal. */
    public <T> T watch(Class<T> port, T target) {
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (self, method, args) -> {
            entries.add(new Entry(current, port.getSimpleName() + "." + method.getName()));
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return port.cast(proxy);
    }

    /** How many transactions were opened. */
    public int transactions() {
        return opened;
    }

    /** The watched calls made in transaction {@code number}, in order. */
    public List<String> callsIn(int number) {
        return entries.stream().filter(entry -> entry.transaction() == number).map(Entry::call).toList();
    }

    /** The watched calls named in {@code calls}, with the transactions they ran in, in order. */
    public List<Entry> entriesOf(Set<String> calls) {
        return entries.stream().filter(entry -> calls.contains(entry.call())).toList();
    }

    public boolean rolledBack(int number) {
        return rolledBack.contains(number);
    }
}
