import { Ec2FleetComputeProvider, FargateComputeProvider } from '@hangar/adapter-aws';
import { toMillis, type ComputeKind, type ComputeProvider } from '@hangar/core';
import type { Container } from 'inversify';
import { requireSetting } from '../../config/parse-environment';
import { ec2Client, ecsClient } from '../aws-clients';
import { TOKENS } from '../tokens';

/** EC2 instant fleets and Fargate tasks, for the functions that launch, list or terminate machines. */
export function bindCompute(container: Container): void {
  container
    .bind(TOKENS.ec2Client)
    .toDynamicValue((ctx) => ec2Client(ctx.get(TOKENS.overrides)))
    .inSingletonScope();
  container
    .bind(TOKENS.ecsClient)
    .toDynamicValue((ctx) => ecsClient(ctx.get(TOKENS.overrides)))
    .inSingletonScope();
  container
    .bind(TOKENS.compute)
    .toDynamicValue((ctx) => {
      const config = ctx.get(TOKENS.configuration);
      const clock = ctx.get(TOKENS.clock);
      const now = (): Date => new Date(toMillis(clock.now()));
      const parameters = ctx.get(TOKENS.parameters);
      // Clients are created on first use: a function whose pools are all EC2 never builds ECS's.
      const providers = new Map<ComputeKind, ComputeProvider>();
      // Machines carry their deployment's name; each deployment lists (and so may take for
      // orphans) only its own, as its IAM lets it terminate only its own. Read when a provider is
      // first built: the webhook resolves the selector but never launches, and has no such setting.
      const deployment = (): string => requireSetting(config.environment, 'deployment');
      const build = (kind: ComputeKind): ComputeProvider =>
        kind === 'ec2'
          ? new Ec2FleetComputeProvider({
              client: ctx.get(TOKENS.ec2Client),
              deployment: deployment(),
              pools: config.ec2Pools,
              // An AMI published to SSM is read at each launch, so a new image needs no redeploy.
              resolveImageId: (name) => parameters.readParameter(name, { decrypt: false }),
              clock: now,
            })
          : new FargateComputeProvider({
              client: ctx.get(TOKENS.ecsClient),
              deployment: deployment(),
              pools: config.fargatePools,
              clock: now,
            });
      return (kind: ComputeKind): ComputeProvider => {
        const existing = providers.get(kind);
        if (existing) return existing;
        const provider = build(kind);
        providers.set(kind, provider);
        return provider;
      };
    })
    .inSingletonScope();
}
