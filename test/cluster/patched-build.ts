/**
 * A second build of kms-retire whose retireKey workflow carries a `patched('cluster-test-patch')`
 * branch, for the rolling upgrade: a copy of bin/ and dist/ in a temporary directory (its
 * node_modules a link to this clone's), with the workflows' entry file wrapped. Nothing under src/
 * changes; whatever file the workflows' entry is, the wrapper finds it by its exports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PATCH_ID = 'cluster-test-patch';
const ROOT = path.resolve(__dirname, '../..');

export interface PatchedBuild {
  root: string;
  bin: string;
  remove(): void;
}

function findWorkflowsEntry(dist: string): string {
  const candidates: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name === 'index.js') candidates.push(file);
    }
  };
  walk(dist);
  const entry = candidates.find((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return /\bretireKey\b/.test(text) && /\bcloudTrailWatcher\b/.test(text) && !text.includes('Worker.create');
  });
  if (!entry) throw new Error(`no workflows entry (index.js exporting retireKey and cloudTrailWatcher) in ${dist}`);
  return entry;
}

export function makePatchedBuild(): PatchedBuild {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-patched-'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const entry = findWorkflowsEntry(path.join(root, 'dist'));
  fs.renameSync(entry, path.join(path.dirname(entry), 'unpatched-index.js'));
  fs.writeFileSync(
    entry,
    `"use strict";
// The rolling-upgrade test's build: retireKey gains a branch behind patched(${JSON.stringify(PATCH_ID)}).
// A retirement started by the previous build replays without it; one started here records the
// marker and a 1 ms timer before doing what the previous build did.
const unpatched = require('./unpatched-index');
const { patched, sleep } = require('@temporalio/workflow');
Object.assign(exports, unpatched);
exports.retireKey = async function retireKey(input) {
  if (patched(${JSON.stringify(PATCH_ID)})) await sleep(1);
  return unpatched.retireKey(input);
};
`,
  );
  return {
    root,
    bin: path.join(root, 'bin', 'kms-retire.js'),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
