import type { ResourceType } from '../state';
import type { Seeder } from './seed-types';

/** Seeders of the services beyond DynamoDB and EC2 (one entry per resource type). */
export const otherSeeders: Partial<Record<ResourceType, Seeder>> = {};
