/** The cluster router, its lag monitor and replication positions; not an API. */
package dev.bulwark.jdbc.cluster.internal;
