package dev.bulwark.jdbc.internal.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import org.junit.jupiter.api.Test;

class WrappersTest {

    @Test
    void rejectsMissingArgumentsByName() {
        Connection driver = RecordingDriver.stub(Connection.class);
        assertThatThrownBy(() -> Wrappers.wrap(null, JdbcHooks.NONE))
                .isInstanceOf(NullPointerException.class).hasMessage("connection");
        assertThatThrownBy(() -> Wrappers.wrap(driver, null))
                .isInstanceOf(NullPointerException.class).hasMessage("hooks");
    }

    @Test
    void refusesToWrapAWrapperTwice() {
        ConnectionWrapper once = Wrappers.wrap(RecordingDriver.stub(Connection.class), JdbcHooks.NONE);
        assertThatThrownBy(() -> Wrappers.wrap(once, JdbcHooks.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already wrapped");
    }

    @Test
    void eachWrapperKeepsItsOwnHooksAndTarget() {
        Connection driver = RecordingDriver.stub(Connection.class);
        JdbcHooks hooks = new RecordingHooks();
        ConnectionWrapper a = Wrappers.wrap(driver, hooks);
        ConnectionWrapper b = Wrappers.wrap(driver, JdbcHooks.NONE);
        assertThat(a.hooks()).isSameAs(hooks);
        assertThat(b.hooks()).isSameAs(JdbcHooks.NONE);
        assertThat(a.target()).isSameAs(driver).isSameAs(b.target());
        assertThat(a.connection()).isSameAs(a);
    }
}
