/** The bench's workflow bundle: kms-retire's own workflows plus the bench's stand-ins. */
export * from '../../workflows';
export { backgroundTraffic, soakingKeyStandIn } from './stand-ins';
