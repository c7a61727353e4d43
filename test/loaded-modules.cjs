// Preloaded (`node --require`) by test/cli-loading.test.ts: when the process exits, writes the files that
// were loaded through require (every CommonJS package: aws-cdk-lib, cdk-nag, kubernetes-models, ...) to the
// file named by PLINTH_LOADED_MODULES.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.PLINTH_LOADED_MODULES, JSON.stringify(Object.keys(require.cache)));
});
