/** SSM Parameter Store calls over the JSON 1.1 protocol (setup and the runner's bootstrap). */
export class SsmWire {
  private count = 0;

  constructor(private readonly endpoint: string) {}

  /** Calls made through this wire. */
  calls(): number {
    return this.count;
  }

  private async call<T>(
    action: string,
    input: unknown,
  ): Promise<{ ok: boolean; body: T & { __type?: string } }> {
    this.count += 1;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${action}` },
      body: JSON.stringify(input),
    });
    return { ok: response.ok, body: (await response.json()) as T & { __type?: string } };
  }

  /** Overwrites, unless tags are given (AWS creates tagged parameters only, never overwrites them). */
  async put(
    name: string,
    value: string,
    type: 'String' | 'SecureString' = 'SecureString',
    tags: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const { ok, body } = await this.call('PutParameter', {
      Name: name,
      Value: value,
      Type: type,
      ...(tagList.length > 0 ? { Tags: tagList } : { Overwrite: true }),
    });
    if (!ok) throw new Error(`SSM PutParameter ${name} failed: ${body.__type ?? 'unknown error'}`);
  }

  /** A parameter's tags, or null when it does not exist. */
  async tags(name: string): Promise<Readonly<Record<string, string>> | null> {
    const { ok, body } = await this.call<{ TagList?: { Key: string; Value: string }[] }>(
      'ListTagsForResource',
      { ResourceType: 'Parameter', ResourceId: name },
    );
    if (ok) return Object.fromEntries((body.TagList ?? []).map((tag) => [tag.Key, tag.Value]));
    if (body.__type?.endsWith('InvalidResourceId')) return null;
    throw new Error(`SSM ListTagsForResource ${name} failed: ${body.__type ?? 'unknown error'}`);
  }

  /** The decrypted value, or null when the parameter does not exist. */
  async get(name: string): Promise<string | null> {
    const { ok, body } = await this.call<{ Parameter?: { Value?: string } }>('GetParameter', {
      Name: name,
      WithDecryption: true,
    });
    if (ok) return body.Parameter?.Value ?? null;
    if (body.__type?.endsWith('ParameterNotFound')) return null;
    throw new Error(`SSM GetParameter ${name} failed: ${body.__type ?? 'unknown error'}`);
  }

  async delete(name: string): Promise<void> {
    const { ok, body } = await this.call('DeleteParameter', { Name: name });
    if (!ok && !body.__type?.endsWith('ParameterNotFound'))
      throw new Error(`SSM DeleteParameter ${name} failed: ${body.__type ?? 'unknown error'}`);
  }
}
