// An esbuild plugin that lets esbuild tree-shake the AWS SDK clients' schemas.
//
// Since about 3.930 the SDK's generated `dist-es/schemas/schemas_0.js` describe every shape of
// the service as top-level arrays whose trait objects use computed keys naming module-level
// string constants: `const _xN = "xmlName"; ... { [_xN]: _bC }`. esbuild cannot prove that a
// computed key has no side effect (evaluating it may call toString), so it keeps every such
// statement, and with them the shapes they reference: one EC2 command brings the schemas of the
// whole EC2 API (~540 KiB of ~550 KiB for the EC2 client). Reported upstream as
// aws/aws-sdk-js-v3#7607 (esbuild: evanw/esbuild#4373); the codegen fix proposed there emits the
// same keys as string literals. This plugin does that at build time: each `[_id]:` whose `_id`
// is a string constant of the same file becomes the constant's literal. The keys, and so every
// schema value, are unchanged (sdk-schema-keys.spec.ts compares them); esbuild can then drop the
// shapes no bundled command reaches.

import { readFile } from 'node:fs/promises';

/** A client's (or nested client's) generated schema module. */
export const SCHEMA_MODULE =
  /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/** `source` with every computed key that names a string constant of its own replaced by the literal. */
export function literalTraitKeys(source) {
  const strings = new Map();
  for (const match of source.matchAll(/^const (_[\w$]+) = ("(?:[^"\\\n]|\\.)*");$/gm))
    strings.set(match[1], match[2]);
  return source.replace(/\[(_[\w$]+)\]:/g, (computed, id) => strings.get(id)?.concat(':') ?? computed);
}

export const sdkSchemaKeys = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
      contents: literalTraitKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
