/**
 * The {@code bulwark} command line ({@link dev.bulwark.cli.BulwarkCli}): {@code classify}, {@code doctor},
 * {@code demo}, {@code backup}, {@code verify}, {@code restore}, {@code journal inspect|drain} and {@code copy}.
 * Built into {@code cli/target/bulwark/} (a launcher {@code bin/bulwark}, one runnable jar and a bash/zsh
 * completion script); the Java classes behind it are internal.
 */
package dev.bulwark.cli;
