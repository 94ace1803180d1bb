import type { ResourceRecord, ResourceType } from '../state';
import type { Store } from '../store';

export interface ResourceSeed {
  type: ResourceType;
  account?: string;
  region?: string;
  name?: string;
  key?: string;
  created?: string | number;
  /** dynamodb:table: "ARCHIVED" or "ARCHIVING" (other statuses follow the key). ec2:instance: its state. */
  status?: string;
  /** ec2:volume: the instance it is attached to (made, running, if it does not exist) and the device. */
  instanceId?: string;
  device?: string;
  /** ec2:snapshot: the volume it was taken from. */
  volumeId?: string;
  /** ec2:ebs-defaults: encryption by default. */
  encryptionByDefault?: boolean;
  /** Anything else the type keeps (e.g. rds:db performanceInsightsKey, eks:cluster resources). */
  [extra: string]: unknown;
}

export interface SeedScope {
  store: Store;
  account: string;
  region: string;
  now: number;
  created: number;
  /** The key as a service that resolves keys stores it: the ARN, or as given when unknown here. */
  keyArn?: string;
}

export type Seeder = (seed: ResourceSeed, scope: SeedScope) => ResourceRecord;
