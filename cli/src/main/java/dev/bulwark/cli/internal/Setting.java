package dev.bulwark.cli.internal;

/**
 * One server setting that matters to a resilient client, with what {@code bulwark doctor} thinks of it.
 *
 * @param name    the setting's name as the database spells it
 * @param value   its current value, as text
 * @param verdict {@code ok}, {@code note} or {@code warn}
 * @param advice  one sentence: why it matters and what to do; empty when nothing to say
 */
record Setting(String name, String value, String verdict, String advice) {

    static Setting ok(String name, String value, String advice) {
        return new Setting(name, value, "ok", advice);
    }

    static Setting note(String name, String value, String advice) {
        return new Setting(name, value, "note", advice);
    }

    static Setting warn(String name, String value, String advice) {
        return new Setting(name, value, "warn", advice);
    }
}
