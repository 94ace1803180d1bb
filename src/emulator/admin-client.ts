import type { PrincipalSpec } from './core/admin/principals';
import type { SeedKeySpec } from './core/admin/seed-key';
import type { CallCounts } from './core/calls';
import type { FaultTable } from './core/faults';
import type { Guardrail, GuardrailSpec } from './services/kms/guardrails';
import type { DeliveryCounters, DeliverySettings } from './services/events/delivery';
import type { Organization } from './services/events/model';
import type { ServiceDenial, UnavailableService } from './core/controls';
import type { ResourceSeed } from './core/admin/seed-types';
import type { Principal, ResourceType } from './core/state';

/** What `seedKey` returns: DescribeKey's metadata with ISO-8601 times, plus Region and TrackingStartDate. */
export interface SeededKey {
  KeyId: string;
  Arn: string;
  AWSAccountId: string;
  Region: string;
  KeyState: string;
  KeyManager: string;
  Enabled: boolean;
  CreationDate: string;
  TrackingStartDate: string;
  DeletionDate?: string;
  LastUsage?: { operation: string; timestamp: string; eventId: string; requestId: string };
  Tags: { TagKey: string; TagValue: string }[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType: 'PRIMARY' | 'REPLICA';
    PrimaryKey: { Arn: string; Region: string };
    ReplicaKeys: { Arn: string; Region: string }[];
  };
  [field: string]: unknown;
}

/** A resource of an emulated service as the admin API shows it (its type's extras beside these). */
export interface SeededResource {
  type: ResourceType;
  account: string;
  region: string;
  id: string;
  arn: string;
  key?: string;
  created: string;
  [extra: string]: unknown;
}

export interface ClockReading {
  now: string;
  nowMs: number;
  offsetMs: number;
}

export class EmulatorAdminError extends Error {
  static readonly type = 'EmulatorAdminError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = EmulatorAdminError.type;
  }
}

/** A small typed client for the emulator's /_emulator/ endpoints. */
export class EmulatorAdmin {
  constructor(
    readonly url: string,
    private readonly defaults: { account?: string; region?: string } = {},
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url.replace(/\/$/, '')}/_emulator/${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await res.json();
    if (!res.ok) {
      const err = parsed as { __type?: string; message?: string };
      throw new EmulatorAdminError(
        err.__type ?? 'Error',
        `${method} /_emulator/${path}: ${err.message ?? res.statusText}`,
        res.status,
      );
    }
    return parsed as T;
  }

  /** Forgets keys, aliases, grants, events, principals, faults, call counts and the clock offset. */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }

  async seedKey(spec: SeedKeySpec = {}): Promise<SeededKey> {
    const body = { account: this.defaults.account, region: this.defaults.region, ...spec };
    return (await this.call<{ KeyMetadata: SeededKey }>('POST', 'keys', body)).KeyMetadata;
  }

  /** Every key the emulator holds (optionally of one account and/or Region), with emulator-only fields. */
  async keys(filter: { account?: string; region?: string } = {}): Promise<SeededKey[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ).toString();
    return (await this.call<{ Keys: SeededKey[] }>('GET', `keys${query ? `?${query}` : ''}`)).Keys;
  }

  /** Moves the emulator's clock forward by milliseconds or a duration such as "9d". */
  async advanceClock(by: number | string): Promise<ClockReading> {
    return this.call('POST', 'clock', typeof by === 'number' ? { advanceMs: by } : { advance: by });
  }

  async setClock(to: Date | string): Promise<ClockReading> {
    return this.call('POST', 'clock', { set: typeof to === 'string' ? to : to.toISOString() });
  }

  async clock(): Promise<ClockReading> {
    return this.call('GET', 'clock');
  }

  /** Replaces the fault table; `{}` clears it. */
  async setFaults(table: FaultTable): Promise<FaultTable> {
    return this.call('POST', 'faults', table);
  }

  async clearFaults(): Promise<void> {
    await this.setFaults({});
  }

  async calls(): Promise<CallCounts> {
    return this.call('GET', 'calls');
  }

  /**
   * Denies DisableKey and ScheduleKeyDeletion in `account` on keys used within `trailingDaysWithoutKeyUsage`
   * days (kms:TrailingDaysWithoutKeyUsage); 0 turns it off. Returns every guardrail in force.
   */
  async setGuardrail(spec: GuardrailSpec): Promise<Guardrail[]> {
    return (await this.call<{ Guardrails: Guardrail[] }>('POST', 'guardrails', spec)).Guardrails;
  }

  async guardrails(): Promise<Guardrail[]> {
    return (await this.call<{ Guardrails: Guardrail[] }>('GET', 'guardrails')).Guardrails;
  }

  /**
   * Denies these IAM actions (e.g. "dynamodb:ListTables", "ec2:Describe*") to `account`, as an
   * explicit Deny in a policy; an empty list removes it. Returns every denial in force.
   */
  async denyActions(
    spec: Omit<ServiceDenial, 'policyType'> & { policyType?: ServiceDenial['policyType'] },
  ): Promise<ServiceDenial[]> {
    return (await this.call<{ Denials: ServiceDenial[] }>('POST', 'guardrails', spec)).Denials;
  }

  /** Makes these services unreachable in these Regions (replaces the list; [] restores them). */
  async setUnavailable(unavailable: UnavailableService[]): Promise<UnavailableService[]> {
    return (await this.call<{ Unavailable: UnavailableService[] }>('POST', 'services', { unavailable })).Unavailable;
  }

  /** Seeds resources of the emulated services (account and Region default to this client's). */
  async seedResources(seeds: ResourceSeed[]): Promise<SeededResource[]> {
    const resources = seeds.map((s) => ({ account: this.defaults.account, region: this.defaults.region, ...s }));
    return (await this.call<{ Resources: SeededResource[] }>('POST', 'resources', { resources })).Resources;
  }

  async resources(filter: { type?: ResourceType; account?: string; region?: string } = {}): Promise<SeededResource[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ).toString();
    return (await this.call<{ Resources: SeededResource[] }>('GET', `resources${query ? `?${query}` : ''}`)).Resources;
  }

  /**
   * Merges KMS request quotas (requests per second per account and Region, by operation; 0 removes
   * one; "aws" for AWS's published defaults); returns the quotas in force, by quota bucket.
   */
  async setQuotas(quotas: Record<string, number> | 'aws'): Promise<Record<string, number>> {
    return (await this.call<{ Quotas: Record<string, number> }>('POST', 'quotas', quotas)).Quotas;
  }

  async quotas(): Promise<Record<string, number>> {
    return (await this.call<{ Quotas: Record<string, number> }>('GET', 'quotas')).Quotas;
  }

  /** Registers an access key id as a named IAM user or assumed-role session for CloudTrail. */
  async registerPrincipal(spec: PrincipalSpec): Promise<Principal> {
    return this.call('POST', 'principals', spec);
  }

  /**
   * EventBridge delivery settings (real-time milliseconds; drop/duplicate are probabilities 0..1 per
   * delivery to a target); fields left out keep their value. Returns settings and counters.
   */
  async setEventBridge(
    settings: Partial<DeliverySettings>,
  ): Promise<{ settings: DeliverySettings; counters: DeliveryCounters }> {
    return this.call('POST', 'eventbridge', settings);
  }

  /** EventBridge delivery settings and counters (published, matched, delivered, dropped, duplicated, failed, per target). */
  async eventBridge(): Promise<{ settings: DeliverySettings; counters: DeliveryCounters }> {
    return this.call('GET', 'eventbridge');
  }

  /** Declares the organization: its id (o-…) and member accounts, for aws:PrincipalOrgID and organization trails. */
  async setOrganization(org: Organization): Promise<Organization> {
    return this.call('POST', 'organization', org);
  }

  async organization(): Promise<Organization | Record<string, never>> {
    return this.call('GET', 'organization');
  }
}
