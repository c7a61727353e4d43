// Preloaded (`node --require`) by test/cli-loading.test.ts: when the process exits, writes the files that
// were loaded through require (every CommonJS package: aws-cdk-lib, cdk-nag, kubernetes-models, ...) to the
// file named by PLINTH_LOADED_MODULES, and, to PLINTH_RESOLVED_MODULES when set, every resolution Node's
// CommonJS loader did itself ("directory of the requiring file" and the specifier; bin/plinth.js answers repeats).
'use strict';
const { writeFileSync } = require('node:fs');
const Module = require('node:module');

const resolutions = [];
if (process.env.PLINTH_RESOLVED_MODULES) {
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    resolutions.push([parent?.path ?? '', request]);
    return resolveFilename.call(this, request, parent, ...rest);
  };
}

process.on('exit', () => {
  writeFileSync(process.env.PLINTH_LOADED_MODULES, JSON.stringify(Object.keys(require.cache)));
  if (process.env.PLINTH_RESOLVED_MODULES) writeFileSync(process.env.PLINTH_RESOLVED_MODULES, JSON.stringify(resolutions));
});
