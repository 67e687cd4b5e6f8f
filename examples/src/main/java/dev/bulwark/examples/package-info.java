/**
 * Bulwark's examples: the demo ({@code demo}), the {@code bulwark} command line ({@code cli}), and small runnable
 * programs ({@code hikari}, {@code flyway}, {@code dao}, {@code spring}, {@code storeforward}, {@code backup});
 * see docs/examples.md.
 */
package dev.bulwark.examples;
