/**
 * `npm run token -- --room R --role edit|view [--secret S] [--link ID] [--ttl SECONDS]`
 * prints a signed share token for scripts and tests; `npm run token -- --admin` an admin token
 * (every room and the admin routes of the relay's HTTP API). The secret comes from --secret, else
 * COEDIT_SECRET, else ./data/secret (the file `npm start` creates).
 */
import { isValidRoomId } from '../lib/room-id';
import { generateLinkId, isValidLinkId, type Role, signAdminToken, signToken } from '../lib/token';
import { DEFAULT_SECRET_FILE, readSecretFile } from './secret';

const USAGE =
  'Usage: npm run token -- --room ROOM --role edit|view [--secret KEY] [--link ID] [--ttl SECONDS]\n' +
  '       npm run token -- --admin [--secret KEY] [--link ID] [--ttl SECONDS]';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (arg === '--admin') {
      args.set('admin', 'yes');
      continue;
    }
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) fail(`unexpected argument "${arg}"`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) fail(`--${match[1]} needs a value`);
    args.set(match[1], value);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const key of args.keys()) {
    if (!['room', 'role', 'secret', 'link', 'ttl', 'admin'].includes(key)) {
      fail(`unknown option --${key}`);
    }
  }
  const admin = args.has('admin');
  if (admin && (args.has('room') || args.has('role'))) fail('--admin takes no --room or --role');
  const secret =
    args.get('secret') || process.env.COEDIT_SECRET || readSecretFile(DEFAULT_SECRET_FILE);
  if (!secret) fail(`no secret: pass --secret, set COEDIT_SECRET or create ${DEFAULT_SECRET_FILE}`);
  const linkId = args.get('link') ?? generateLinkId();
  if (!isValidLinkId(linkId)) fail('--link must match [A-Za-z0-9_-]{1,64}');
  const ttl = args.get('ttl');
  if (ttl !== undefined && !/^\d+$/.test(ttl)) fail('--ttl must be a whole number of seconds');
  const exp = ttl === undefined ? undefined : Math.floor(Date.now() / 1000) + Number(ttl);
  if (admin) {
    process.stdout.write(
      `${await signAdminToken(secret, { linkId, ...(exp === undefined ? {} : { exp }) })}\n`,
    );
    return;
  }
  const room = args.get('room');
  if (!room || !isValidRoomId(room)) fail('--room must match [A-Za-z0-9_-]{1,128}');
  const role = args.get('role');
  if (role !== 'edit' && role !== 'view') fail('--role must be edit or view');
  const token = await signToken(secret, {
    room,
    role: role satisfies Role,
    linkId,
    ...(exp === undefined ? {} : { exp }),
  });
  process.stdout.write(`${token}\n`);
}

void main();
