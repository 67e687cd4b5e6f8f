/** Example: Wrapping HikariCP in a plain Java application. See the class javadoc for how to run it. */
package dev.bulwark.examples.hikari;
