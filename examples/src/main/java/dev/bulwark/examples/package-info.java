/**
 * The demo and the {@code bulwark} command line (in progress).
 */
package dev.bulwark.examples;
