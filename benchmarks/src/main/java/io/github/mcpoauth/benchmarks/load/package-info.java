/**
 * The HTTP load harnesses of issue 13, loopback only: {@code LoadHarness} runs the Jetty example side by side with
 * the MCP TypeScript SDK's reference authorization server (registration, full flow, refresh, guarded and unguarded
 * {@code tools/list}, first sight of new tokens, the cold start), {@code ScaleHarness} the same operations at 1k,
 * 100k and 1M stored grants on the in-memory and PostgreSQL stores. Each operation is warmed up until the JIT has
 * settled ({@code JitSettle}); the generator is a lean blocking HTTP/1.1 client ({@code LeanHttpClient}) or the
 * JDK's; our server runs in the harness's JVM or in one of its own ({@code OurServer}). Figures, commands and
 * machine: docs/performance.md.
 */
package io.github.mcpoauth.benchmarks.load;
