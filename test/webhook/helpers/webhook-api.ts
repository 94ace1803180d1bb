export * from '../../../src/webhook';
export { parseSecret } from '../../../src/webhook/secrets';
