/**
 * The {@code bulwark} command line ({@link dev.bulwark.cli.internal.BulwarkCommand}): {@code classify},
 * {@code doctor}, {@code demo}, and the recovery commands {@code backup}, {@code verify}, {@code restore},
 * {@code journal inspect|drain} and {@code copy}.
 */
package dev.bulwark.cli.internal;
