/**
 * Annotations for DAO interfaces, applied by {@code Bulwark.dao(Dao.class, impl, dataSource)}.
 *
 * <p>This package depends on nothing but the JDK, so DAO interfaces can carry these annotations
 * without pulling Bulwark's runtime into every module that sees them.
 */
package dev.bulwark.jdbc.annotations;
