// Preloaded with `node --import` (NODE_OPTIONS) by test/cli-lazy.test.ts: appends the URL of
// every module the process loads to $MF_LOADED_LOG, so a test can see what a command loaded.
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.MF_LOADED_LOG) appendFileSync(process.env.MF_LOADED_LOG, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
