/**
 * JMH benchmarks of the token path: issuing and verifying access tokens ({@code TokenBenchmarks}, same-app HS256
 * and ES256) and what each JWT signing algorithm costs ({@code SigningAlgorithmBenchmarks}). Figures and the
 * commands that printed them: docs/performance.md.
 */
package io.github.mcpoauth.benchmarks;
