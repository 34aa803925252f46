// Preloaded with `node --require` (NODE_OPTIONS) by test/cli-lazy.test.ts: at exit, writes the
// Node built-in modules the process loaded (process.moduleLoadList) to $MF_BUILTINS_LOG, so a
// test can see whether a command started Node's ES module loader.
'use strict';
// CommonJS on purpose: an ES module preload would itself start the loader this file looks for
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.MF_BUILTINS_LOG)
    writeFileSync(process.env.MF_BUILTINS_LOG, process.moduleLoadList.join('\n'));
});
