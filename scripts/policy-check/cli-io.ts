// Where a CLI's output goes. The bin wrappers pass the process's streams; the specs pass a
// capture and call `main` in process, so a check costs its simulation only, not a fresh node
// with tsx transpiling core again (about 1.3 s of CPU per call before any work).
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The directory relative file names are read from and written to. */
  readonly cwd: string;
}

export const processIo: CliIo = {
  get cwd() {
    return process.cwd();
  },
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Ends a command with an exit code and the lines to print on stderr (usage, problems). */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly lines: readonly string[],
  ) {
    super(lines.join('\n'));
    this.name = 'CliExit';
  }
}

/** Prints one line on the command's stdout. */
export const lineTo =
  (io: CliIo) =>
  (line: string): void =>
    io.stdout(`${line}\n`);
