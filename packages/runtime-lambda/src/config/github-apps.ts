import { ConfigurationError } from '@hangar/core';
import * as z from 'zod/mini';

/** What configuration loading needs from Parameter Store (`SsmParameterReader` in production). */
export interface ParameterSource {
  readParameter(name: string, options?: { readonly decrypt?: boolean }): Promise<string>;
  readJson(name: string): Promise<unknown>;
}

export interface GitHubApp {
  readonly appId: number;
  /** PEM text (decoded here when the parameter held the base64 of the .pem file). */
  readonly privateKey: string;
}

/** One App kept in parameters the operator created: the names (or ARNs) of its id and key. */
export interface GitHubAppParameters {
  readonly appId: string;
  readonly privateKey: string;
}

const PEM = /-----BEGIN (?:RSA )?PRIVATE KEY-----/;
const BASE64 = /^[A-Za-z0-9+/=_\-\s]+$/;

/**
 * The PEM an App key parameter holds: the PEM itself, or — as the reference module took it
 * (`key_base64`, the output of `base64 app.private-key.pem`) — its base64 encoding. Undefined
 * when it is neither. A PEM with literal `\n` sequences stays as is: parseAppKey turns them
 * into line breaks (keys stored as one line).
 */
export function appKeyPem(value: string): string | undefined {
  if (PEM.test(value)) return value;
  const text = value.replace(/\s+/g, '');
  if (text === '' || !BASE64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  return PEM.test(decoded) ? decoded : undefined;
}

const KEY_PROBLEM = 'neither a PEM private key nor the base64 encoding of one';

const appsSchema = z
  .array(
    z.object({
      appId: z.number().check(z.int(), z.positive()),
      privateKey: z.string().check(z.refine((key) => appKeyPem(key) !== undefined, { message: KEY_PROBLEM })),
    }),
  )
  .check(z.minLength(1, 'at least one GitHub App'));

/** `path.to[0].field: message` for every issue; zod messages never quote the value. */
export function issuesOf(parameter: string, what: string, error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${what} (SSM parameter ${parameter}) at ${path === '' ? '(root)' : `$${path}`}: ${issue.message}`;
  });
}

/** The Apps of the one JSON parameter the Terraform module writes (`github_apps`). */
export async function readAppsParameter(name: string, parameters: ParameterSource): Promise<GitHubApp[]> {
  const parsed = appsSchema.safeParse(await parameters.readJson(name));
  if (!parsed.success) throw new ConfigurationError(issuesOf(name, 'GitHub Apps', parsed.error));
  return parsed.data.map(({ appId, privateKey }) => ({ appId, privateKey: appKeyPem(privateKey) ?? '' }));
}

/**
 * The Apps kept in parameters the operator created (`github_app_parameters`): each App's id
 * and key read concurrently, every problem of every parameter reported together. Values are
 * never quoted; an unreachable SSM is the reader's DependencyError, thrown as is.
 */
export async function readAppParameters(
  apps: readonly GitHubAppParameters[],
  parameters: ParameterSource,
): Promise<GitHubApp[]> {
  const problems: string[] = [];
  const read = async (name: string): Promise<string | undefined> => {
    try {
      return await parameters.readParameter(name);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const values = await Promise.all(apps.map((app) => Promise.all([read(app.appId), read(app.privateKey)])));
  const loaded = values.map(([id, key], index) => {
    const names = apps[index] as GitHubAppParameters;
    const appId = id !== undefined && /^\s*\d+\s*$/.test(id) ? Number(id) : 0;
    if (id !== undefined && !(appId > 0))
      problems.push(
        `SSM parameter ${names.appId} (GitHub App id) is not a numeric App ID (the App's settings page shows it; a client ID such as Iv1.… is not one)`,
      );
    const pem = key === undefined ? undefined : appKeyPem(key);
    if (key !== undefined && pem === undefined)
      problems.push(`SSM parameter ${names.privateKey} (GitHub App private key) holds ${KEY_PROBLEM}`);
    return { appId, privateKey: pem ?? '' };
  });
  if (problems.length > 0) throw new ConfigurationError(problems);
  return loaded;
}
