package dev.bulwark.benchmarks.jmh;

import java.util.List;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/** A datasource-proxy listener that does nothing: what remains is the proxy's own cost. Stateless. */
final class NoOpQueryListener implements QueryExecutionListener {

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        // measuring the interception, not a listener
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        // measuring the interception, not a listener
    }
}
