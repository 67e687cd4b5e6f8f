/**
 * Implementation details of the test kit; not an API.
 */
package dev.bulwark.testkit.internal;
