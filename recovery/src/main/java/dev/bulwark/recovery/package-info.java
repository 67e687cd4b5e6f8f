/**
 * Recovery: write journal, backups, checksums and table copies (in progress).
 */
package dev.bulwark.recovery;
