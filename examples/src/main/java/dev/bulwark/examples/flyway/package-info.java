/** Example: The jdbc:bulwark: URL with Flyway, through a DataSource. See the class javadoc for how to run it. */
package dev.bulwark.examples.flyway;
