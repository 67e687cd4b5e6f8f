/**
 * Internals of the recovery module (catalog reading, canonical encodings, backup files, restore);
 * not part of the API and free to change.
 */
package dev.bulwark.recovery.internal;
