// Dependency-boundary check (runs in CI through the test command). Fails when:
//  - core imports @aws-sdk/*, @octokit/*, inversify, node:* (or a bare Node built-in) or any other @hangar package;
//  - core source outside src/testing uses process.env, Date.now(), argument-less new Date() or Math.random();
//  - an adapter imports another adapter or runtime-lambda; test-support imports an adapter or the runtime;
//  - the CLI imports anything but core and adapter-aws, or anything imports the CLI;
//  - any import cycle exists between source files.
// Uses the TypeScript parser, so strings and comments never count as code.
import ts from 'typescript';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const ADAPTERS = ['adapter-aws', 'adapter-github'];
const CLI_MAY_IMPORT = ['cli', 'core', 'adapter-aws'];
const NODE_BUILTINS = new Set(builtinModules);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function importsOf(sourceFile) {
  const specs = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      specs.push({ spec: node.moduleSpecifier.text, node });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) specs.push({ spec: arg.text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return specs;
}

function impurities(sourceFile) {
  const found = [];
  const visit = (node) => {
    let what = null;
    if (ts.isPropertyAccessExpression(node) && node.getText(sourceFile) === 'process.env')
      what = 'process.env';
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sourceFile);
      if (callee === 'Date.now') what = 'Date.now()';
      if (callee === 'Math.random') what = 'Math.random()';
    }
    if (
      ts.isNewExpression(node) &&
      node.expression.getText(sourceFile) === 'Date' &&
      !node.arguments?.length
    ) {
      what = 'new Date() without arguments';
    }
    if (what) {
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
      found.push({ what, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Which workspace package a file belongs to: 'core', 'adapter-aws', ..., or null. */
function packageOf(root, file) {
  const rel = relative(root, file).split(sep);
  if (rel[0] === 'packages') return rel[1];
  return rel[0];
}

function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function resolveWorkspace(root, spec) {
  const m = /^@hangar\/([^/]+)(?:\/(.+))?$/.exec(spec);
  if (!m) return null;
  const pkgDir = join(root, 'packages', m[1]);
  const entry = m[2] ? join(pkgDir, 'src', m[2], 'index.ts') : join(pkgDir, 'src', 'index.ts');
  return existsSync(entry) ? entry : null;
}

function findCycles(graph) {
  // Tarjan's strongly connected components; any component of size > 1 (or a self-loop) is a cycle.
  let index = 0;
  const stack = [];
  const meta = new Map();
  const cycles = [];
  const strong = (v) => {
    meta.set(v, { index, low: index, onStack: true });
    index += 1;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!meta.has(w)) {
        strong(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).onStack) {
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
      }
    }
    if (meta.get(v).low === meta.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? new Set()).has(v)) cycles.push(component);
    }
  };
  for (const v of graph.keys()) if (!meta.has(v)) strong(v);
  return cycles;
}

/** Checks a repository laid out like Hangar's; returns a list of human-readable violations. */
export function checkBoundaries(root) {
  const files = [
    ...walk(join(root, 'packages')).filter((f) => relative(root, f).split(sep)[2] === 'src'),
    ...walk(join(root, 'bench', 'src')),
    ...walk(join(root, 'infra', 'test')),
  ];
  const violations = [];
  const graph = new Map();
  for (const file of files) {
    const pkg = packageOf(root, file);
    const rel = relative(root, file);
    const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const edges = new Set();
    graph.set(file, edges);
    for (const { spec, node } of importsOf(sourceFile)) {
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
      const at = `${rel}:${line}`;
      const hangar = /^@hangar\/([^/]+)/.exec(spec)?.[1];
      if (pkg === 'core') {
        if (/^@aws-sdk\//.test(spec) || /^@smithy\//.test(spec))
          violations.push(`${at} core imports AWS SDK '${spec}'`);
        if (/^@octokit\//.test(spec)) violations.push(`${at} core imports Octokit '${spec}'`);
        if (spec === 'inversify' || spec.startsWith('@inversifyjs/'))
          violations.push(`${at} core imports '${spec}'`);
        if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0])) {
          violations.push(`${at} core imports Node built-in '${spec}'`);
        }
        if (hangar && hangar !== 'core') violations.push(`${at} core imports '${spec}'`);
      }
      if (
        ADAPTERS.includes(pkg) &&
        hangar &&
        (hangar === 'runtime-lambda' || (ADAPTERS.includes(hangar) && hangar !== pkg))
      ) {
        violations.push(`${at} ${pkg} imports '${spec}' (adapters depend only on core)`);
      }
      // The CLI is an outer layer like runtime-lambda: it reads through core and the AWS adapter,
      // and nothing else depends on it.
      if (pkg === 'cli' && hangar && !CLI_MAY_IMPORT.includes(hangar)) {
        violations.push(`${at} cli imports '${spec}' (the CLI depends only on core and adapter-aws)`);
      }
      if (pkg !== 'cli' && pkg !== 'core' && !ADAPTERS.includes(pkg) && hangar === 'cli') {
        violations.push(`${at} ${pkg} imports '${spec}' (nothing depends on the CLI)`);
      }
      if (ADAPTERS.includes(pkg) && hangar === 'cli') {
        violations.push(`${at} ${pkg} imports '${spec}' (adapters depend only on core)`);
      }
      if (pkg === 'test-support' && hangar && hangar !== 'core' && hangar !== 'test-support') {
        violations.push(`${at} test-support imports '${spec}' (test support depends only on core)`);
      }
      const target = spec.startsWith('.') ? resolveRelative(file, spec) : resolveWorkspace(root, spec);
      if (target) edges.add(target);
    }
    const inTesting = rel.split(sep).slice(0, 4).join('/') === 'packages/core/src/testing';
    if (pkg === 'core' && !inTesting) {
      for (const { what, line } of impurities(sourceFile))
        violations.push(`${rel}:${line} core uses ${what}`);
    }
  }
  for (const cycle of findCycles(graph)) {
    violations.push(
      `import cycle: ${cycle
        .map((f) => relative(root, f))
        .reverse()
        .join(' -> ')}`,
    );
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`boundary violation: ${v}`);
  if (violations.length) process.exit(1);
  console.log('dependency boundaries: ok');
}
