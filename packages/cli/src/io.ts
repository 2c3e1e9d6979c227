import type { IsoTime } from '@hangar/core';

/** What the CLI talks to; the entry point passes the process's, specs pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The wall clock (specs pin it). */
  readonly now: () => IsoTime;
}
