import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // Builds the CLI bundle and synthesizes each example once per run (see the file).
    globalSetup: ['./test/global-setup.ts'],
    // CDK synthesis is CPU-heavy; two workers match the 2-core CI machine. Without isolation a worker loads
    // aws-cdk-lib, cdk-nag and kubernetes-models once, not once per test file (measured in BENCHMARKS.md).
    // Test files keep no global state between them: temp dirs are their own, caches are keyed by input.
    // vitest >= 4: a worker busy for minutes in a synchronous CDK synth (a loaded machine) no longer fails the
    // run with `Timeout calling "onTaskUpdate"` (vitest-dev/vitest#8297 removed the 60 s worker RPC timeout).
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
