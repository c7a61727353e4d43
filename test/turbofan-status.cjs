// Preloaded (`node --allow-natives-syntax --require`) by test/cli-v8-flags.test.ts: when the process exits, asks V8
// to optimize a fresh function with TurboFan and prints to stderr whether it did, i.e. whether bin/plinth.js left
// TurboFan on. The bit is V8's OptimizationStatus::kTurboFanned (src/runtime/runtime.h).
'use strict';
process.on('exit', () => {
  const natives = (body) => new Function('f', body);
  const prepare = natives('%PrepareFunctionForOptimization(f)');
  const optimizeNext = natives('%OptimizeFunctionOnNextCall(f)');
  const status = natives('return %GetOptimizationStatus(f)');
  function twice(x) { return x * 2; }
  prepare(twice);
  twice(1);
  twice(2);
  optimizeNext(twice);
  twice(3);
  process.stderr.write(`\nturbofan: ${(status(twice) & (1 << 6)) !== 0 ? 'on' : 'off'}\n`);
});
