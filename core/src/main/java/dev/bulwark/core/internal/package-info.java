/**
 * Implementation details of bulwark-core; not an API.
 */
package dev.bulwark.core.internal;
