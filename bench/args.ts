import path from 'node:path';
import { SERVER_NAMES, type ServerName } from './servers';

export interface BenchOptions {
  quick: boolean;
  /** Scenario groups to run (e.g. S1, S3); empty = all. */
  only: string[];
  reps: number;
  workers: number;
  servers: ServerName[];
  /** Directory for V8 CPU profiles of the servers (`--cpu-prof DIR`); unset = no profiling. */
  cpuProfDir?: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--only S1,S3 | S1-5] [--reps N] [--workers N]
                            [--servers ours-sqlite,ours-memory,reference] [--cpu-prof DIR]`;

/** Parses command-line flags; throws with the usage text on anything unknown. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    quick: false,
    only: [],
    reps: 0,
    workers: 2,
    servers: [...SERVER_NAMES],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${flag} needs a positive integer\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--only':
        options.only = value()
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean);
        break;
      case '--reps':
        options.reps = count();
        break;
      case '--workers':
        options.workers = count();
        break;
      case '--servers': {
        const names = value()
          .split(',')
          .map((s) => s.trim());
        const unknown = names.filter((n) => !(SERVER_NAMES as readonly string[]).includes(n));
        if (unknown.length) throw new Error(`unknown server ${unknown.join(', ')}\n${USAGE}`);
        options.servers = names as ServerName[];
        break;
      }
      case '--cpu-prof':
        options.cpuProfDir = path.resolve(value());
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (options.reps === 0) options.reps = options.quick ? 1 : 2;
  return options;
}
