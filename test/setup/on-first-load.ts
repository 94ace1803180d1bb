import Module from 'node:module';

type Loader = (this: unknown, request: string, ...rest: unknown[]) => unknown;
const loader = Module as unknown as { _load: Loader };

/**
 * Calls `then` with a package's exports the first time the package is loaded in this process, before
 * the code that imported it runs. The test setup uses it to configure @temporalio/worker's runtime
 * without loading that package (2 s of a test file's start on a busy machine) into the many test
 * files that never use it. Node loads a CommonJS package through Module._load whether it was
 * required or imported (vitest passes the resolved path of a direct import, a package its bare name).
 */
export function onFirstLoad(name: string, then: (exports: unknown) => void): void {
  const resolved = `${require.resolve(name)}`;
  const load = loader._load;
  let seen = false;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    const exports = load.call(this, request, ...rest);
    if (!seen && (request === name || request === resolved)) {
      seen = true;
      then(exports);
    }
    return exports;
  };
}
