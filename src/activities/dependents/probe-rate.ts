/**
 * Requests per second per service, account and Region. Describe and List calls share each
 * service's account-wide quotas with everyone else (for EC2, the request token bucket of
 * "Request throttling for the Amazon EC2 API"); a low rate leaves room for them.
 */
export const DEFAULT_PROBE_RATE = 10;
