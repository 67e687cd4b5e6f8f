/** Example: A Spring JdbcTemplate application on a BulwarkDataSource, joining Bulwark units of work. See the class javadoc for how to run it. */
package dev.bulwark.examples.spring;
