// Redocly CLI as `make lint` and `make test` run it (`node tools/redocly.mjs lint ...`): the pinned
// node_modules/@redocly/cli, less the box it prints on every run under Node.js 20 ("Deprecation warning:
// Node.js 20 support is ending"). The box asks for nothing to be done here: the pinned 2.77.0 supports Node 20.19
// and later (its package.json's engines), and the project is tested on Node 20 (README); only a later Redocly CLI
// needs Node 22.12. No setting of 2.77.0 turns the box off (REDOCLY_SUPPRESS_UPDATE_NOTICE and
// REDOCLY_SUPPRESS_NOTIFICATIONS quiet its other notices), so its one write is dropped here; everything else
// Redocly writes passes untouched, its warning about an unsupported Node version included.
const BOX = 'Deprecation warning: Node.js 20 support is ending';
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  if (!String(chunk).includes(BOX)) return write(chunk, ...rest);
  const done = rest.find((argument) => typeof argument === 'function');
  if (done) process.nextTick(done);
  return true;
};
await import('../node_modules/@redocly/cli/bin/cli.js');
