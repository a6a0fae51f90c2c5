/**
 * One webhook POST: resolves the target's hostname, refuses it if any address is one the SSRF
 * guard forbids (unless private targets are allowed), and connects to exactly the addresses it
 * checked (the custom `lookup`), so a DNS answer cannot change between check and connect. One
 * deadline covers connect, headers and body; redirects are not followed (a 3xx is a failure).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, literalAddress } from './ssrf';

/** Read at most this much of a response (then stop reading); its content is not used. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export type SendOutcome =
  | { readonly kind: 'response'; readonly status: number }
  /** Not sent: the target resolves to an address the guard refuses. Retrying will not help. */
  | { readonly kind: 'refused'; readonly error: string }
  /** No response: DNS, connection, TLS, timeout or abort. */
  | { readonly kind: 'error'; readonly error: string };

export interface SendOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly signal?: AbortSignal;
}

class TargetRefused extends Error {}

/** A lookup that resolves every address and fails if the guard refuses any of them. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) {
        callback(err, '', 0);
        return;
      }
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => addressRefusal(a.address));
      const first = list[0];
      if (refused || !first) {
        const why = refused ? addressRefusal(refused.address) : 'no address';
        callback(new TargetRefused(`${hostname} resolves to ${refused?.address} (${why})`), '', 0);
        return;
      }
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      } else callback(null, first.address, first.family);
    });
  };
}

export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions,
): Promise<SendOutcome> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve({ kind: 'refused', error: 'invalid url' });
  }
  const literal = literalAddress(url);
  const why = literal && !options.allowPrivate ? addressRefusal(literal) : null;
  if (why) return Promise.resolve({ kind: 'refused', error: `${literal} is a ${why} address` });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // A fresh connection per delivery: no pooled socket to an address checked earlier.
      agent: false,
      lookup: guardedLookup(options.allowPrivate),
    });
    const deadline = setTimeout(() => {
      finish({ kind: 'error', error: `timed out after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish({ kind: 'error', error: 'aborted: relay closing' });
      req.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      if (err instanceof TargetRefused) finish({ kind: 'refused', error: err.message });
      else finish({ kind: 'error', error: err.message || String(err) });
    });
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const done = () => {
        finish({ kind: 'response', status: res.statusCode ?? 0 });
        req.destroy();
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.end(body);
  });
}
