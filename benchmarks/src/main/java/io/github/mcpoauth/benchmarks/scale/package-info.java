/** Scale figures of the stores that need no server: heap per in-memory grant ({@link GrantHeap}). */
package io.github.mcpoauth.benchmarks.scale;
