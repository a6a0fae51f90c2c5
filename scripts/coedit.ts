/**
 * `npm run coedit -- <command>`: documents from the command line, over the relay's HTTP API
 * (lib/api-client.ts). The relay is COEDIT_RELAY (default http://localhost:1234); the token is
 * --token or COEDIT_TOKEN (a share token of the document, or an admin token:
 * `npm run token -- --admin`); --author names who the writes are from.
 *
 *   new [--title T] [--language L] [FILE|-]   create (text from FILE or stdin) → room and links
 *   get ROOM [--html]                         print the text (or the rendered page)
 *   put ROOM [FILE|-]                         make the text exactly FILE / stdin
 *   append ROOM [TEXT...]                     append TEXT (or stdin)
 *   versions ROOM                             list the versions
 *   restore ROOM VERSION                      restore a version as a live edit
 *   rm ROOM                                   delete the document for good (admin token)
 *   ls                                        list every document (admin token)
 */
import { readFileSync } from 'node:fs';
import { ApiClient, ApiClientError } from '../lib/api-client';

const USAGE = `usage: npm run coedit -- <command> [options]
  new [--title T] [--language L] [FILE|-]
  get ROOM [--html]
  put ROOM [FILE|-]
  append ROOM [TEXT...]
  versions ROOM
  restore ROOM VERSION
  rm ROOM
  ls
options: --relay URL (or COEDIT_RELAY), --token T (or COEDIT_TOKEN), --author NAME`;

class UsageError extends Error {}

function parse(argv: readonly string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--html') flags.set('html', true);
    else if (arg.startsWith('--')) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(arg.slice(2), value);
    } else positional.push(arg);
  }
  return { positional, flags };
}

function readInput(source: string | undefined): string {
  return readFileSync(source === undefined || source === '-' ? 0 : source, 'utf8');
}

async function main(argv: readonly string[]): Promise<void> {
  const { positional, flags } = parse(argv);
  const [command, ...args] = positional;
  const option = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  for (const key of flags.keys()) {
    if (!['relay', 'token', 'author', 'title', 'language', 'html'].includes(key)) {
      throw new UsageError(`unknown option --${key}`);
    }
  }
  const client = new ApiClient({
    baseUrl: option('relay') ?? process.env.COEDIT_RELAY ?? 'http://localhost:1234',
    token: option('token') ?? process.env.COEDIT_TOKEN ?? null,
    author: option('author') ?? null,
  });
  const room = () => {
    const value = args[0];
    if (!value) throw new UsageError(`${command} needs a ROOM`);
    return value;
  };
  const print = (value: unknown) =>
    process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  switch (command) {
    case 'new': {
      const title = option('title');
      const language = option('language');
      const text = args[0] === undefined && process.stdin.isTTY ? '' : readInput(args[0]);
      print(
        await client.create({
          text,
          ...(title === undefined ? {} : { title }),
          ...(language === undefined ? {} : { language }),
        }),
      );
      return;
    }
    case 'get':
      print(flags.has('html') ? await client.html(room()) : await client.text(room()));
      return;
    case 'put':
      print(await client.putText(room(), readInput(args[1])));
      return;
    case 'append':
      print(
        await client.append(room(), args.length > 1 ? args.slice(1).join(' ') : readInput('-')),
      );
      return;
    case 'versions':
      print(await client.versions(room()));
      return;
    case 'restore': {
      const version = args[1];
      if (!version) throw new UsageError('restore needs a ROOM and a VERSION');
      print(await client.restore(room(), version));
      return;
    }
    case 'rm':
      print(await client.remove(room()));
      return;
    case 'ls': {
      // Every page, one line a document: room, people, length, title.
      let after: string | undefined;
      do {
        const page = await client.list(after === undefined ? {} : { after });
        for (const d of page.documents) {
          print(`${d.room}\t${d.people}\t${d.length}\t${d.updatedAt ?? '-'}\t${d.title}\n`);
        }
        after = page.next ?? undefined;
      } while (after !== undefined);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`coedit: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (err instanceof ApiClientError) {
    process.stderr.write(`coedit: ${err.message} (${err.status} ${err.code})\n`);
    process.exit(1);
  }
  process.stderr.write(`coedit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
