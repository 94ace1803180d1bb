export { createWebhookApp, DEFAULT_MAX_BODY_BYTES, type WebhookAppOptions, type WebhookLimits } from './app';
export { WebhookError } from './errors';
export { createLogger } from './logger';
export { DEFAULT_MAPPING, loadMapping, MappingError, parseMapping, type WebhookMapping } from './mapping';
export { loadSecrets, SecretError, SECRET_ENV, type WebhookSecrets } from './secrets';
export type { RetirementService } from './service';
export { startWebhookServer, type RunningServer } from './server';
export { createTemporalService } from './temporal-service';
