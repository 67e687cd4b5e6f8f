/** The starter's internals: the post-processor, the property binding, health, meters and the transaction advice. */
package dev.bulwark.spring.internal;
