/** Command line of `npm run soak`: `--minutes N` (default 2), `--json PATH`, `--help`. */

export interface SoakArgs {
  /** Length of the load phase (faults included), in minutes. */
  readonly minutes: number;
  /** Where to write the JSON result; default soak/results/<timestamp>.json. */
  readonly jsonPath: string | null;
}

export const USAGE = `npm run soak -- [--minutes N] [--json PATH]

  --minutes N   load phase length in minutes (default 2; at least 2 so every fault fits)
  --json PATH   also write the result as JSON here (default soak/results/<time>.json)
`;

export class ArgsError extends Error {}

/** Parse argv (without node and script); returns 'help' for --help. */
export function parseArgs(argv: readonly string[]): SoakArgs | 'help' {
  let minutes = 2;
  let jsonPath: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new ArgsError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--minutes') {
      minutes = Number(value());
      if (!Number.isFinite(minutes) || minutes < 2) {
        throw new ArgsError('--minutes must be a number >= 2 (every fault needs room)');
      }
    } else if (flag === '--json') {
      jsonPath = value();
    } else {
      throw new ArgsError(`unknown argument ${arg}`);
    }
  }
  return { minutes, jsonPath };
}
