/** Example: Store-and-forward writes through a database outage. See the class javadoc for how to run it. */
package dev.bulwark.examples.storeforward;
