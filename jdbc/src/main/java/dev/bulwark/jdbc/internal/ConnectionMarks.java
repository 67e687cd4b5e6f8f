package dev.bulwark.jdbc.internal;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A set of connections, by identity and weakly held, that may forget a member: a fixed table of weak
 * references where a member can be displaced by another whose identity hash falls in the same slots. Made
 * for marks that are cheap to set again (a forgotten mark costs one more round trip, never a wrong answer):
 * looking up is lock-free and allocates nothing, where a synchronized {@code WeakHashMap} serialises every
 * borrow of every thread. Sized for pools; a connection the pool closes is forgotten with it.
 *
 * <p>Thread-safe.
 */
final class ConnectionMarks {

    private static final int SLOTS = 256; // a power of two, well above usual pool sizes
    private static final int PROBES = 4;

    private final AtomicReferenceArray<WeakReference<Connection>> slots = new AtomicReferenceArray<>(SLOTS);

    boolean contains(Connection c) {
        int home = System.identityHashCode(c);
        for (int i = 0; i < PROBES; i++) {
            WeakReference<Connection> ref = slots.get((home + i) & (SLOTS - 1));
            if (ref != null && ref.get() == c) {
                return true;
            }
        }
        return false;
    }

    void add(Connection c) {
        int home = System.identityHashCode(c);
        int target = home & (SLOTS - 1);
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & (SLOTS - 1);
            WeakReference<Connection> ref = slots.get(slot);
            Connection member = ref == null ? null : ref.get();
            if (member == c) {
                return;
            }
            if (member == null) {
                target = slot;
                break;
            }
        }
        slots.set(target, new WeakReference<>(c)); // all probed slots taken: displace the first
    }

    /** Calls {@code action} with each member still held. */
    void forEach(java.util.function.Consumer<Connection> action) {
        for (int i = 0; i < SLOTS; i++) {
            WeakReference<Connection> ref = slots.get(i);
            Connection member = ref == null ? null : ref.get();
            if (member != null) {
                action.accept(member);
            }
        }
    }

    void remove(Connection c) {
        int home = System.identityHashCode(c);
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & (SLOTS - 1);
            WeakReference<Connection> ref = slots.get(slot);
            if (ref != null && ref.get() == c) {
                slots.compareAndSet(slot, ref, null);
            }
        }
    }
}
