/**
 * Build-time code generation for Bulwark's JDBC wrappers: an annotation processor
 * ({@link dev.bulwark.codegen.DelegateProcessor}) and the annotations that drive it. Never on a runtime
 * class path: the annotations have source retention.
 */
package dev.bulwark.codegen;
