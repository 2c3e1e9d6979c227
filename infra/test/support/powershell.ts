import { join } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { INFRA } from './hcl';

// tree-sitter-powershell's grammar, compiled to WebAssembly and shipped in its npm package,
// run by web-tree-sitter: no native build (the `tree-sitter` Node binding has no prebuilt
// binary for Node 20 and needs node-gyp), the same grammar.
const GRAMMAR = join(INFRA, 'node_modules', 'tree-sitter-powershell', 'tree-sitter-powershell.wasm');

let parser: Parser | undefined;

async function powershellParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const next = new Parser();
  next.setLanguage(await Language.load(GRAMMAR));
  parser = next;
  return next;
}

export async function parsePowerShell(text: string): Promise<Tree> {
  const tree = (await powershellParser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Every node of a tree, depth first, in source order. */
function* nodes(node: Node): Generator<Node> {
  yield node;
  for (const child of node.children) if (child) yield* nodes(child);
}

/** Syntax errors: ERROR nodes and nodes the parser had to invent (MISSING), with their line. */
export function syntaxErrors(tree: Tree): string[] {
  return [...nodes(tree.rootNode)]
    .filter((node) => node.type === 'ERROR' || node.isMissing)
    .map(
      (node) =>
        `line ${node.startPosition.row + 1}: ${node.isMissing ? `missing ${node.type}` : node.text.slice(0, 60)}`,
    );
}

/** One command invocation: its name as written, its arguments, and where it starts. */
export interface PsCommand {
  readonly name: string;
  readonly args: readonly string[];
  readonly offset: number;
}

/** The command invocations of a tree in source order (`Get-Foo -X 1`, `& $path arg`). */
export function commandsOf(tree: Tree): PsCommand[] {
  return [...nodes(tree.rootNode)]
    .filter((node) => node.type === 'command')
    .map((node) => {
      const name = node.childForFieldName('command_name');
      const elements = node.childForFieldName('command_elements');
      return {
        name: name?.text ?? '',
        args: (elements?.namedChildren ?? [])
          .filter((child): child is Node => child !== null && child.type !== 'command_argument_sep')
          .map((child) => child.text),
        offset: node.startIndex,
      };
    });
}

/** The bodies of verbatim here-strings (@' … '@): scripts the script writes for later. */
export function hereStrings(tree: Tree): string[] {
  return [...nodes(tree.rootNode)]
    .filter((node) => node.type === 'verbatim_here_string_characters')
    .map((node) => node.text.replace(/^@'\r?\n/, '').replace(/\r?\n'@$/, ''));
}
