#!/usr/bin/env node
'use strict';
// kms-retire supports Node.js 22.12+ and 24 (package.json "engines"). On an older Node, it runs itself
// again on the Node 24 that `npm install` put in node_modules (the registry's `node` package), or
// says what to install. The CLI is compiled to dist/ by `npm install` (the prepare script builds it).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const { spawn } = require('node:child_process');
  let bundled;
  try {
    bundled = require.resolve('node/bin/node', { paths: [__dirname] });
  } catch {
    process.stderr.write(
      `kms-retire: Node.js ${process.versions.node} is not supported; use Node.js 22.12+ or 24 ` +
        '(or run `npm install` in the kms-retire clone, which brings Node 24 into node_modules).\n',
    );
    process.exit(2);
  }
  const child = spawn(bundled, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  require('../dist/cli/main.js').run();
}
