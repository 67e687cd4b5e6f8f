/**
 * Bulwark's examples: small runnable programs ({@code hikari}, {@code flyway}, {@code dao}, {@code spring},
 * {@code storeforward}, {@code backup}); see docs/examples.md. The demo and the {@code bulwark} command line are
 * in the {@code cli} module.
 */
package dev.bulwark.examples;
