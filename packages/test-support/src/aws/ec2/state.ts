import { randomBytes } from 'node:crypto';
import { createObservers } from '../shared/calls';
import type {
  CapacityRule,
  Ec2Instance,
  Ec2InstanceState,
  Ec2LaunchTemplate,
  Ec2Market,
  Ec2StateChange,
} from './types';

/** A client-visible failure: answered as EC2's error envelope with this code. */
export class Ec2ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'Ec2ApiError';
  }
}

export const hexId = (prefix: string, length = 17): string =>
  `${prefix}-${randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length)}`;

const DEFAULT_SPOT_PRICE = '0.0300';
const DEFAULT_ON_DEMAND_PRICE = '0.1000';

/** The emulator's in-memory account: instances, launch templates, capacity and tokens. */
export class Ec2World {
  readonly instances = new Map<string, Ec2Instance>();
  readonly templates = new Map<string, Ec2LaunchTemplate>();
  /** CreateFleet ClientToken → request fingerprint and the result it produced. */
  readonly fleetTokens = new Map<string, { fingerprint: string; result: unknown }>();
  private rules: CapacityRule[] = [];
  private readonly remaining = new Map<CapacityRule, number>();
  private readonly observers = createObservers<Ec2StateChange>();
  private readonly subnets: Map<string, string>;
  private readonly prices: Record<Ec2Market, Map<string, string>>;

  constructor(
    readonly clock: () => Date,
    subnets: Readonly<Record<string, string>>,
    prices: { spot: Readonly<Record<string, string>>; onDemand: Readonly<Record<string, string>> },
    /** Seeds the tie-break between equally good pools (see allocation.ts). */
    readonly allocationSeed: string,
  ) {
    this.subnets = new Map(Object.entries(subnets));
    this.prices = {
      spot: new Map(Object.entries(prices.spot)),
      'on-demand': new Map(Object.entries(prices.onDemand)),
    };
  }

  /** The zone of a subnet the account has; undefined for an unknown subnet. */
  zoneOf(subnetId: string): string | undefined {
    return this.subnets.get(subnetId);
  }

  addSubnet(subnetId: string, zone: string): void {
    this.subnets.set(subnetId, zone);
  }

  spotPrice(instanceType: string): string {
    return this.price('spot', instanceType);
  }

  /** The hourly price of a type in a market (defaults 0.0300 spot, 0.1000 on-demand). */
  price(market: Ec2Market, instanceType: string): string {
    const fallback = market === 'spot' ? DEFAULT_SPOT_PRICE : DEFAULT_ON_DEMAND_PRICE;
    return this.prices[market].get(instanceType) ?? fallback;
  }

  setPrice(market: Ec2Market, instanceType: string, price: string): void {
    this.prices[market].set(instanceType, price);
  }

  addTemplate(name: string, imageId: string | null, instanceType: string | null): Ec2LaunchTemplate {
    if ([...this.templates.values()].some((t) => t.launchTemplateName === name)) {
      throw new Error(`launch template ${name} already exists`);
    }
    const template = {
      launchTemplateId: hexId('lt'),
      launchTemplateName: name,
      imageId,
      instanceType,
      createTime: this.clock(),
    };
    this.templates.set(template.launchTemplateId, template);
    return template;
  }

  findTemplate(spec: { id?: string; name?: string }): Ec2LaunchTemplate | undefined {
    if (spec.id) return this.templates.get(spec.id);
    return [...this.templates.values()].find((t) => t.launchTemplateName === spec.name);
  }

  setCapacity(rule: CapacityRule): void {
    this.rules = this.rules.filter(
      (r) =>
        !(r.market === rule.market && r.instanceType === rule.instanceType && r.subnetId === rule.subnetId),
    );
    this.rules.push(rule);
    if (rule.available !== 'unlimited') this.remaining.set(rule, rule.available);
  }

  /** The rule deciding capacity for this placement, or undefined (unlimited). */
  private ruleFor(market: Ec2Market, instanceType: string, subnetId: string): CapacityRule | undefined {
    const matching = this.rules
      .map((rule, order) => ({ rule, order }))
      .filter(
        ({ rule }) =>
          rule.market === market &&
          (rule.instanceType === undefined || rule.instanceType === instanceType) &&
          (rule.subnetId === undefined || rule.subnetId === subnetId),
      );
    const specificity = (r: CapacityRule) =>
      Number(r.instanceType !== undefined) + Number(r.subnetId !== undefined);
    matching.sort((a, b) => specificity(b.rule) - specificity(a.rule) || b.order - a.order);
    return matching[0]?.rule;
  }

  /** Units left for this placement without taking any (Infinity when unlimited). */
  capacityLeft(market: Ec2Market, instanceType: string, subnetId: string): number {
    const rule = this.ruleFor(market, instanceType, subnetId);
    if (!rule || rule.available === 'unlimited') return Number.POSITIVE_INFINITY;
    return this.remaining.get(rule) ?? 0;
  }

  /** Takes up to `wanted` units; returns how many were granted and the code to report if none. */
  takeCapacity(
    market: Ec2Market,
    instanceType: string,
    subnetId: string,
    wanted: number,
  ): { granted: number; errorCode: string } {
    const rule = this.ruleFor(market, instanceType, subnetId);
    const errorCode = rule?.errorCode ?? 'InsufficientInstanceCapacity';
    if (!rule || rule.available === 'unlimited') return { granted: wanted, errorCode };
    const left = this.remaining.get(rule) ?? 0;
    const granted = Math.min(left, wanted);
    this.remaining.set(rule, left - granted);
    return { granted, errorCode };
  }

  addInstance(instance: Ec2Instance): void {
    this.instances.set(instance.instanceId, instance);
    this.observers.emit({
      instanceId: instance.instanceId,
      previousState: null,
      state: instance.state,
      cause: 'launch',
      at: this.clock(),
    });
  }

  transition(
    instanceId: string,
    state: Ec2InstanceState,
    cause: Ec2StateChange['cause'],
    stateReason: string | null = null,
  ): Ec2Instance {
    const current = this.instances.get(instanceId);
    if (!current)
      throw new Ec2ApiError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
    if (current.state === state) return current;
    const next: Ec2Instance = { ...current, state, stateReason: stateReason ?? current.stateReason };
    this.instances.set(instanceId, next);
    this.observers.emit({ instanceId, previousState: current.state, state, cause, at: this.clock() });
    return next;
  }

  advance(): void {
    for (const instance of [...this.instances.values()]) {
      if (instance.state === 'pending') this.transition(instance.instanceId, 'running', 'advance');
      if (instance.state === 'shutting-down') this.transition(instance.instanceId, 'terminated', 'advance');
      if (instance.state === 'stopping') this.transition(instance.instanceId, 'stopped', 'advance');
    }
  }

  onStateChange(listener: (change: Ec2StateChange) => void): () => void {
    return this.observers.subscribe(listener);
  }
}
