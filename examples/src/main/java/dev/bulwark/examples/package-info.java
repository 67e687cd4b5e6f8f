/**
 * Bulwark's examples: the demo ({@code demo}) and the {@code bulwark} command line ({@code cli}).
 */
package dev.bulwark.examples;
