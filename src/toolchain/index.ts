export { resolveTemporalCli } from './temporal-cli';
export { resolveTestServer } from './test-server';
export { startDevServer, type DevServer, type DevServerOptions } from './dev-server';
export { ToolchainError } from './errors';
export { cacheDir } from './paths';
export { resolveChromium, type ResolvedBrowser } from './browser';
