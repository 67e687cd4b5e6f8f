/** Example: An annotated DAO interface run through Bulwark.dao. See the class javadoc for how to run it. */
package dev.bulwark.examples.dao;
