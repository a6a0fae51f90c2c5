/**
 * `npm run soak -- --minutes N`: the soak and chaos run (see RELIABILITY.md). Prints a markdown
 * summary, writes the result as JSON, exits 1 when any rule failed (2 on bad arguments).
 * Run as `node --import tsx soak/main.ts`, not through the `tsx` CLI: that CLI answers Ctrl-C by
 * SIGKILLing its child unless it acknowledges within 30 ms, which a busy run may not, and the
 * cleanup of everything the run started would never happen.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArgsError, parseArgs, USAGE } from './args';
import { Cleanup } from './cleanup';
import { markdownReport } from './report';
import { runSoak } from './run';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const cleanup = new Cleanup();
  // A signal may arrive twice (from the terminal and relayed by npm): ignore the second.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: cleaning up…`);
    void cleanup.run(log).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runSoak(args.minutes, cleanup, log);
    await cleanup.run(log);
    const jsonPath = args.jsonPath ?? join(result.logDir, 'result.json');
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(
      jsonPath,
      JSON.stringify(
        result,
        (_key, value) => (value instanceof Map ? Object.fromEntries(value) : value),
        2,
      ),
    );
    process.stdout.write(`${markdownReport(result)}\n`);
    log(`result: ${jsonPath}`);
    return result.verdict.failures.length === 0 ? 0 : 1;
  } catch (error) {
    log(`the run failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    await cleanup.run(log);
    return 1;
  }
}

process.exit(await main());
