import type {
  AliasRecord,
  EmulatorState,
  GoneKey,
  GrantRecord,
  KeyRecord,
  Principal,
  ResourceRecord,
  ResourceType,
  TrailEvent,
} from './state';
import { emptyState } from './state';
import type { TrailRecord } from '../services/cloudtrail/trail-record';
import type { EventBridgeState } from '../services/events/model';
import { emptyEventBridgeState } from '../services/events/model';
import type { SqsState } from '../services/sqs/model';
import { emptySqsState } from '../services/sqs/model';

const scope = (account: string, region: string): string => `${account}/${region}`;

/**
 * Indexed, in-memory view of EmulatorState. Everything the services touch goes through here so that
 * persistence sees one consistent snapshot (toState) and a restart rebuilds the same indexes.
 */
export class Store {
  readonly keys = new Map<string, KeyRecord>(); // by key ARN
  readonly aliases = new Map<string, AliasRecord>(); // by account/region/aliasName
  grants: GrantRecord[] = [];
  /** Per account/Region, in the order the calls happened (oldest first). */
  readonly events = new Map<string, TrailEvent[]>();
  readonly principals = new Map<string, Principal>(); // by access key id
  /** The emulated services' resources, by type/account/region/id, in creation order. */
  readonly resources = new Map<string, ResourceRecord>();
  readonly goneKeys = new Map<string, GoneKey>(); // by key ARN
  clockOffsetMs = 0;
  sqs: SqsState = emptySqsState();
  trails: TrailRecord[] = [];
  eventbridge: EventBridgeState = emptyEventBridgeState();

  constructor(state: EmulatorState = emptyState()) {
    this.load(state);
  }

  load(state: EmulatorState): void {
    this.keys.clear();
    this.aliases.clear();
    this.events.clear();
    this.principals.clear();
    this.resources.clear();
    this.goneKeys.clear();
    this.clockOffsetMs = state.clockOffsetMs;
    for (const key of state.keys) this.keys.set(key.arn, key);
    for (const alias of state.aliases)
      this.aliases.set(aliasIndex(alias.account, alias.region, alias.aliasName), alias);
    this.grants = [...state.grants];
    for (const event of state.events) this.eventsOf(event.account, event.region).push(event);
    for (const principal of state.principals) this.principals.set(principal.accessKeyId, principal);
    this.sqs = state.sqs ? structuredClone(state.sqs) : emptySqsState();
    this.trails = structuredClone(state.trails ?? []);
    this.eventbridge = state.eventbridge ? structuredClone(state.eventbridge) : emptyEventBridgeState();
    for (const resource of state.resources ?? []) this.putResource(resource);
    for (const gone of state.goneKeys ?? []) this.goneKeys.set(gone.arn, gone);
  }

  toState(): EmulatorState {
    return {
      version: 1,
      clockOffsetMs: this.clockOffsetMs,
      keys: [...this.keys.values()],
      aliases: [...this.aliases.values()],
      grants: this.grants,
      events: [...this.events.values()].flat(),
      principals: [...this.principals.values()],
      sqs: this.sqs,
      trails: this.trails,
      eventbridge: this.eventbridge,
      resources: [...this.resources.values()],
      goneKeys: [...this.goneKeys.values()],
    };
  }

  resourcesIn(type: ResourceType, account: string, region: string): ResourceRecord[] {
    return [...this.resources.values()].filter((r) => r.type === type && r.account === account && r.region === region);
  }

  findResource(type: ResourceType, account: string, region: string, id: string): ResourceRecord | undefined {
    return this.resources.get(resourceIndex(type, account, region, id));
  }

  putResource(resource: ResourceRecord): void {
    this.resources.set(resourceIndex(resource.type, resource.account, resource.region, resource.id), resource);
  }

  deleteResource(resource: ResourceRecord): void {
    this.resources.delete(resourceIndex(resource.type, resource.account, resource.region, resource.id));
  }

  keysIn(account: string, region: string): KeyRecord[] {
    return [...this.keys.values()].filter((k) => k.account === account && k.region === region);
  }

  findKeyById(account: string, region: string, keyId: string): KeyRecord | undefined {
    return this.keys.get(`arn:aws:kms:${region}:${account}:key/${keyId}`);
  }

  aliasesIn(account: string, region: string): AliasRecord[] {
    return [...this.aliases.values()].filter((a) => a.account === account && a.region === region);
  }

  findAlias(account: string, region: string, aliasName: string): AliasRecord | undefined {
    return this.aliases.get(aliasIndex(account, region, aliasName));
  }

  putAlias(alias: AliasRecord): void {
    this.aliases.set(aliasIndex(alias.account, alias.region, alias.aliasName), alias);
  }

  deleteAlias(alias: AliasRecord): void {
    this.aliases.delete(aliasIndex(alias.account, alias.region, alias.aliasName));
  }

  eventsOf(account: string, region: string): TrailEvent[] {
    const id = scope(account, region);
    let list = this.events.get(id);
    if (!list) {
      list = [];
      this.events.set(id, list);
    }
    return list;
  }

  /** Removes a key for good (its deletion date passed), with its aliases and grants. */
  removeKey(key: KeyRecord): void {
    this.keys.delete(key.arn);
    this.goneKeys.set(key.arn, { arn: key.arn, unusableSince: key.unusableSince ?? key.deletionDate ?? 0 });
    for (const alias of this.aliasesIn(key.account, key.region)) {
      if (alias.targetKeyId === key.keyId) this.deleteAlias(alias);
    }
    this.grants = this.grants.filter((g) => g.keyArn !== key.arn);
  }
}

function resourceIndex(type: ResourceType, account: string, region: string, id: string): string {
  return `${type}/${account}/${region}/${id}`;
}

function aliasIndex(account: string, region: string, aliasName: string): string {
  return `${account}/${region}/${aliasName}`;
}
