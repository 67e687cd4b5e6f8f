/**
 * The demo ({@link dev.bulwark.cli.internal.demo.DemoCommand}): bank transfers on embedded SQLite (or a server)
 * through Bulwark while a seeded fault injector makes the database misbehave, with a live progress line, a
 * final report and an invariant check; {@code --compare} runs the same workload as plain JDBC.
 */
package dev.bulwark.cli.internal.demo;
