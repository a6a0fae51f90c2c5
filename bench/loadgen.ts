/**
 * Load-generator process, forked by the orchestrator (bench/workers.ts). Runs real y-websocket
 * clients and answers the commands of bench/loadgen-protocol.ts over the IPC channel.
 */
import * as Y from 'yjs';
import { nowMs } from './clock';
import {
  type Client,
  closeClient,
  connectClient,
  openMany,
  whenSynced,
  whenText,
} from './loadgen-client';
import type { Command, Request, Response } from './loadgen-protocol';
import { replayTrace, TraceWatcher } from './loadgen-replay';
import { LatencyRecorder, runTyping, type Typist } from './loadgen-typing';

// Every WebsocketProvider adds a process 'exit' listener; hundreds per process are expected here.
process.setMaxListeners(0);

const typists: Typist[] = [];
const held: Client[] = [];
const recorder = new LatencyRecorder();
let watcher: TraceWatcher | undefined;

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'open': {
      const started = nowMs();
      const clients = await openMany(
        command.clients,
        (spec) => connectClient(command.url, spec.room),
        command.concurrency,
        command.timeoutMs,
      );
      command.clients.forEach((spec, i) => {
        const client = clients[i] as Client;
        recorder.attach(client);
        typists.push({ index: spec.index, room: spec.room, client });
      });
      return { opened: clients.length, ms: nowMs() - started };
    }
    case 'type':
      recorder.reset();
      return runTyping(typists, command);
    case 'progress':
      return { received: recorder.latencies.length };
    case 'latencies':
      return { latencies: Float64Array.from(recorder.latencies) };
    case 'seed': {
      const started = nowMs();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, command.update);
      const client = connectClient(command.url, command.room, doc);
      held.push(client);
      await whenSynced(client, command.timeoutMs);
      return { opened: 1, ms: nowMs() - started };
    }
    case 'join': {
      const started = nowMs();
      const client = connectClient(command.url, command.room);
      try {
        await whenText(client, (text) => text === command.expected, command.timeoutMs);
        return { ms: nowMs() - started };
      } finally {
        closeClient(client);
      }
    }
    case 'watch': {
      const started = nowMs();
      watcher?.close();
      watcher = new TraceWatcher(
        command.url,
        command.room,
        command.tracePath,
        command.writerClientId,
        command.checkpoints,
      );
      await watcher.ready(30_000);
      return { opened: 1, ms: nowMs() - started };
    }
    case 'watchResult': {
      if (!watcher) throw new Error('watchResult before watch');
      const result = await watcher.result(command.timeoutMs);
      watcher.close();
      watcher = undefined;
      return result;
    }
    case 'replay':
      return replayTrace(command);
    case 'closeAll': {
      const count = typists.length + held.length;
      for (const { client } of typists.splice(0)) closeClient(client);
      for (const client of held.splice(0)) closeClient(client);
      watcher?.close();
      watcher = undefined;
      return { opened: count, ms: 0 };
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

process.on('message', (message: Request) => {
  handle(message.command).then(
    (value) => reply({ id: message.id, ok: true, value }),
    (error: unknown) =>
      reply({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

function reply(response: Response): void {
  process.send?.(response);
}

// The orchestrator going away (even by kill -9) closes the IPC channel: exit with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, value: 'ready' } satisfies Response);
