/**
 * Clusters: a primary and its replicas behind one {@link dev.bulwark.jdbc.cluster.ClusterDataSource}. Read-only
 * units run on a replica whose lag is within {@code bulwark.replica.maxLag}, read-your-writes holds for each caller,
 * and everything else runs on the primary. See docs/clusters.md.
 */
package dev.bulwark.jdbc.cluster;
