package io.ft4j.internal.util;

/**
 * A doubly-linked list whose nodes carry their own links (an intrusive list): O(1) append at either end, removal of
 * a node from wherever it is, and removal from the front, with no allocation. Not thread-safe: each user guards its
 * list with one lock (the wait layer's first-in first-out wait points and the thread-exit action lists use their
 * owner's monitor) and touches a node's links only under it.
 *
 * @param <N> the node type
 */
public final class LinkedNodes<N extends LinkedNodes.Node<N>> {
    /**
     * A node of one list at a time, or of none.
     *
     * @param <N> the node type itself
     */
    public abstract static class Node<N extends Node<N>> {
        private N prev;
        private N next;
        private boolean linked;

        /** Creates an unlinked node. */
        protected Node() {}

        /**
         * Returns whether the node is in a list now.
         *
         * @return whether it is linked
         */
        public final boolean isLinked() {
            return linked;
        }

        /**
         * Returns the node after this one in the list it was taken from by {@link LinkedNodes#removeAll()}, or in
         * its list now.
         *
         * @return the next node, or null
         */
        public final N next() {
            return next;
        }
    }

    private N head;
    private N tail;

    /** Creates an empty list. */
    public LinkedNodes() {}

    /**
     * Returns the first node.
     *
     * @return the first node, or null if the list is empty
     */
    public N first() {
        return head;
    }

    /**
     * Appends an unlinked node at the back.
     *
     * @param node the node
     */
    public void addLast(N node) {
        N last = tail;
        l(node).prev = last;
        l(node).next = null;
        if (last == null) {
            head = node;
        } else {
            l(last).next = node;
        }
        tail = node;
        l(node).linked = true;
    }

    /**
     * Inserts an unlinked node at the front.
     *
     * @param node the node
     */
    public void addFirst(N node) {
        N first = head;
        l(node).prev = null;
        l(node).next = first;
        if (first == null) {
            tail = node;
        } else {
            l(first).prev = node;
        }
        head = node;
        l(node).linked = true;
    }

    /**
     * Removes a node if it is still in this list (another thread may have taken it off the front first).
     *
     * @param node the node
     * @return whether it was linked and is now removed
     */
    public boolean remove(N node) {
        if (!l(node).linked) {
            return false;
        }
        N p = l(node).prev;
        N n = l(node).next;
        if (p == null) {
            head = n;
        } else {
            l(p).next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            l(n).prev = p;
        }
        l(node).prev = null;
        l(node).next = null;
        l(node).linked = false;
        return true;
    }

    /**
     * Removes and returns the first node.
     *
     * @return the node that was first, or null if the list was empty
     */
    public N pollFirst() {
        N h = head;
        if (h != null) {
            remove(h);
        }
        return h;
    }

    /**
     * Empties the list and returns its former first node; the removed nodes stay chained through
     * {@link Node#next()}, unlinked, so the caller can walk them after releasing its lock.
     *
     * @return the former first node, or null if the list was empty
     */
    public N removeAll() {
        N h = head;
        for (N n = h; n != null; n = l(n).next) {
            l(n).linked = false;
            l(n).prev = null;
        }
        head = null;
        tail = null;
        return h;
    }

    /** The node as the base class, whose private links this class may reach (a type variable's members exclude them). */
    private static <N extends Node<N>> Node<N> l(N node) {
        return node;
    }
}
