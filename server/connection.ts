/**
 * One client socket: safe sends with a slow-consumer limit, ping/pong liveness, the awareness
 * client ids it controls, and an idempotent close. Knows nothing about rooms or the protocol.
 */
import { WebSocket } from 'ws';
import { CloseCode } from '../lib/close-codes';
import type { Writer } from './authorship/writer';
import { closeInfo } from './errors';
import type { Logger } from './log';
import type { OutKind, RelayMetrics } from './metrics';

export interface ConnectionHandlers {
  /** A binary frame arrived. */
  onMessage(conn: Connection, frame: Buffer): void;
  /** A text frame arrived (never valid in this protocol). */
  onTextFrame(conn: Connection): void;
  /** The connection is gone (called once, on the first close or terminate). */
  onClose(conn: Connection): void;
}

/** The socket's Connection, for the shared socket listeners. */
const OWNER = Symbol('connection');
type OwnedSocket = WebSocket & { [OWNER]: Connection };

/** The parts of ws's underlying net.Socket used here. */
interface RawSocket {
  write(data: Uint8Array): boolean;
  cork(): void;
  uncork(): void;
}

export interface ConnectionOptions {
  readonly id: number;
  readonly room: string;
  /** Opted into coedit Ack messages (`?ack=1`). */
  readonly wantsAck: boolean;
  /** Who it writes as (client key hash, author, link), settled at the upgrade. */
  readonly writer: Writer;
  readonly maxBufferedBytes: number;
}

export class Connection {
  readonly id: number;
  readonly room: string;
  readonly wantsAck: boolean;
  readonly writer: Writer;
  /** Awareness client ids this socket announced; removed from the room when it closes. */
  readonly awarenessIds = new Set<number>();
  private alive = true;
  private closed = false;
  /** Not being read (throttled): its pongs wait unread in the kernel behind its frames. */
  private paused = false;
  private handlers: ConnectionHandlers | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: ConnectionOptions,
    private readonly metrics: RelayMetrics,
    private readonly logger: Logger,
  ) {
    this.id = options.id;
    this.room = options.room;
    this.wantsAck = options.wantsAck;
    this.writer = options.writer;
    // Shared listeners that find this connection through the socket: closures per socket would
    // cost every idle connection a few hundred bytes.
    (socket as OwnedSocket)[OWNER] = this;
    socket.on('pong', Connection.onPong);
    socket.on('close', Connection.onSocketClose);
    socket.on('error', Connection.onError);
  }

  /** Start delivering frames to `handlers`. */
  attach(handlers: ConnectionHandlers): void {
    this.handlers = handlers;
    this.socket.on('message', Connection.onMessage);
  }

  private static onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    // biome-ignore lint/complexity/noThisInStatic: ws calls listeners with the socket as `this`
    const conn = (this as OwnedSocket)[OWNER];
    conn.alive = true;
    const handlers = conn.handlers;
    if (conn.closed || !handlers) return;
    if (isBinary) handlers.onMessage(conn, data);
    else handlers.onTextFrame(conn);
  }

  private static onPong(this: WebSocket): void {
    // biome-ignore lint/complexity/noThisInStatic: ws calls listeners with the socket as `this`
    (this as OwnedSocket)[OWNER].alive = true;
  }

  private static onSocketClose(this: WebSocket): void {
    // biome-ignore lint/complexity/noThisInStatic: ws calls listeners with the socket as `this`
    (this as OwnedSocket)[OWNER].detach();
  }

  private static onError(this: WebSocket, err: Error & { code?: string }): void {
    // biome-ignore lint/complexity/noThisInStatic: ws calls listeners with the socket as `this`
    const conn = (this as OwnedSocket)[OWNER];
    const context = { room: conn.room, conn: conn.id, reason: err.message };
    // ws closes the socket itself after its own errors: 1009 for an oversize frame, 1002 for
    // other protocol violations. Anything else (ECONNRESET…) is a peer that went away.
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      conn.metrics.reject('too-big');
      conn.logger.warn(context, 'frame too big');
    } else if (err.code?.startsWith('WS_ERR_')) {
      conn.metrics.reject('protocol');
      conn.logger.warn(context, 'protocol error');
    } else {
      conn.logger.debug(context, 'socket error');
    }
    conn.detach();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Queue a frame and count it under `kind`. */
  send(frame: Uint8Array, kind: OutKind): void {
    if (this.write(frame)) this.metrics.sent(kind, frame.length);
  }

  /**
   * Queue a frame without counting it (broadcasts are counted once by the room). Returns false
   * if the socket is gone. The buffer is checked before writing, so one frame larger than the
   * limit (a big document's state) still goes out to a reader that keeps up.
   */
  write(frame: Uint8Array): boolean {
    if (!this.writable()) return false;
    this.socket.send(frame);
    return true;
  }

  /**
   * `write` for a broadcast: `wire` is `frame` already framed by encodeBinaryFrame (ws-frame.ts),
   * built once for all recipients. ws writes its own frames to the same TCP socket whole (it
   * only queues them while compressing, which is off, or reading a Blob, never sent here), so
   * frames cannot interleave; `bufferedAmount` counts these bytes too.
   */
  writeFramed(frame: Uint8Array, wire: Buffer): boolean {
    if (!this.writable()) return false;
    const raw = this.rawSocket();
    if (raw) raw.write(wire);
    else this.socket.send(frame);
    return true;
  }

  /** Open and keeping up; a socket over the slow-consumer limit is closed here. */
  private writable(): boolean {
    if (this.closed) return false;
    const socket = this.socket;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.metrics.reject('slow-consumer');
      this.logger.warn(
        { room: this.room, conn: this.id, buffered: socket.bufferedAmount },
        'slow consumer; closing',
      );
      this.close(CloseCode.Overloaded);
      return false;
    }
    return socket.readyState === WebSocket.OPEN;
  }

  /** ws keeps its net.Socket in `_socket` (absent before the upgrade completes). */
  private rawSocket(): RawSocket | undefined {
    return (this.socket as unknown as { _socket?: RawSocket })._socket;
  }

  /**
   * Hold this socket's writes and hand them to the kernel in one syscall at `uncork`: one flush
   * that delivers several updates to this socket then costs one write, not one per frame. Every
   * `cork` must be followed by `uncork`; corking only delays writes, framing is unchanged.
   */
  cork(): void {
    this.rawSocket()?.cork();
  }

  uncork(): void {
    this.rawSocket()?.uncork();
  }

  /** Stop reading this socket (backpressure: the sender's TCP window closes). */
  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket.resume();
  }

  /** Close with a code from lib/close-codes; later calls do nothing. */
  close(code: number): void {
    if (this.closed) return;
    const { reason } = closeInfo(code);
    this.socket.close(code, reason);
    this.detach();
  }

  /** Drop the TCP connection without a close handshake (dead peer). */
  terminate(): void {
    this.socket.terminate();
    this.detach();
  }

  /** Liveness tick: terminate if the last ping went unanswered, else ping again. */
  checkAlive(): void {
    if (this.closed) return;
    // A paused socket is throttled for sending too much: it is alive, its pong is just unread.
    if (!this.alive && !this.paused) {
      this.logger.info({ room: this.room, conn: this.id }, 'missed pong; terminating');
      this.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose(this);
  }
}
