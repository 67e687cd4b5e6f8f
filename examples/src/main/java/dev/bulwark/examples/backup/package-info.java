/** Example: A backup, verify and restore round trip. See the class javadoc for how to run it. */
package dev.bulwark.examples.backup;
