package dev.bulwark.jdbc.internal.wrapper;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The open statements of a connection, or the open result sets of a statement: an array list that
 * compares by identity and removes from the end, where the most recently opened (and most likely
 * closed next) element is (the idea of HikariCP's FastList). Allocates its array on first use.
 *
 * <p>Thread-safe (synchronized, apart from the volatile {@link #size()}): a connection may be closed from
 * another thread than the one using its statements.
 */
final class OpenResources<T> {

    private Object[] elements;
    /** Written under the lock, read without it by {@link #size()}: the emptiness checks of every execute. */
    private volatile int size;

    synchronized void add(T element) {
        if (elements == null) {
            elements = new Object[4];
        } else if (size == elements.length) {
            elements = Arrays.copyOf(elements, size * 2);
        }
        elements[size++] = element;
    }

    synchronized void remove(T element) {
        for (int i = size - 1; i >= 0; i--) {
            if (elements[i] == element) {
                System.arraycopy(elements, i + 1, elements, i, size - i - 1);
                elements[--size] = null;
                return;
            }
        }
    }

    /** The element whose {@code matches} is true, or null. */
    @SuppressWarnings("unchecked")
    synchronized T find(Predicate<T> matches) {
        for (int i = size - 1; i >= 0; i--) {
            if (matches.test((T) elements[i])) {
                return (T) elements[i];
            }
        }
        return null;
    }

    /** Removes and returns all elements, oldest first. */
    @SuppressWarnings("unchecked")
    synchronized T[] drain(T[] type) {
        T[] all = size == 0 ? type : (T[]) Arrays.copyOf(elements, size, type.getClass());
        if (elements != null) {
            Arrays.fill(elements, 0, size, null);
        }
        size = 0;
        return all;
    }

    /** The number of elements; without the lock (a volatile read), since most callers only test for none. */
    int size() {
        return size;
    }
}
