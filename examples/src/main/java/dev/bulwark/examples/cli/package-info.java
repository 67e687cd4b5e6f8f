/**
 * The {@code bulwark} command line ({@link dev.bulwark.examples.cli.BulwarkCli}): {@code classify},
 * {@code doctor} and {@code demo}.
 */
package dev.bulwark.examples.cli;
