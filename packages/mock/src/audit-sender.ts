/**
 * The mock as the sender of audit records: once a PUT stores a listener (TCP address and port,
 * or with `local` a Unix socket path), it connects to it as a cluster does and writes each
 * record as JSON. What the Redis docs say of delivery (security/audit-events.md) is followed:
 * the sender connects to the listener, with no handshake and no acknowledgement; it reconnects
 * every `audit_reconnect_interval` seconds, up to `audit_reconnect_max_attempts` times (0: no
 * end); records wait in a queue of at most `audit_queue_max_bytes` bytes while there is no
 * connection, and are dropped, and counted by the documented metrics, when it is full.
 *
 * This mock's decisions, where the docs say nothing:
 * - each record is followed by a newline (the docs do not say how records are separated);
 * - one worker (`audit_worker_id` 0), whose `audit_seq` counts up from 0 over the mock's life;
 * - a record already written to the socket counts as sent, as the docs say a send does not
 *   mean the listener received it; bytes the socket still held when the connection broke are
 *   counted as disconnect losses;
 * - only loopback addresses and Unix sockets, unless the mock is told it may reach any host:
 *   a mock must not be a way to make connections anywhere.
 */
import { type Socket, connect, isIP } from 'node:net';

export interface Destination {
  protocol: 'TCP' | 'local';
  address: string;
  port?: number;
  reconnectIntervalSeconds: number;
  /** 0: no end. */
  reconnectMaxAttempts: number;
  queueMaxBytes: number;
}

/** The metrics of the Redis docs' table, by their names. */
export const METRICS = [
  'audit_sink_sent_messages',
  'audit_sink_sent_bytes',
  'audit_sink_dropped_messages',
  'audit_sink_dropped_bytes',
  'audit_sink_pending_bytes',
  'audit_sink_connect_events',
  'audit_sink_disconnect_events',
  'audit_sink_reconnect_attempts',
  'audit_sink_reconnect_attempts_exhausted',
  'audit_sink_disconnect_loss_events',
  'audit_sink_disconnect_loss_bytes',
  'audit_sink_dropped_queue_full_messages',
  'audit_sink_dropped_record_too_large_messages',
  'audit_sink_dropped_disconnected_messages',
  'audit_sink_dropped_queue_disabled_messages',
  'audit_sink_dropped_send_failed_messages',
  'audit_sink_connected_workers',
  'audit_sink_queue_high_watermark_bytes',
] as const;
export type Metrics = Record<(typeof METRICS)[number], number>;

/** Why a record was dropped, by the metric that counts it. */
type Drop = 'queue_full' | 'record_too_large' | 'disconnected' | 'queue_disabled' | 'send_failed';

/** The shortest wait between two connection attempts, whatever the configuration says (0 would spin). */
const MIN_RECONNECT_MS = 100;

export function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

export class AuditSender {
  private destination: Destination | null = null;
  private socket: Socket | null = null;
  private connected = false;
  private queue: Buffer[] = [];
  private attempts = 0;
  private exhausted = false;
  private timer: NodeJS.Timeout | null = null;
  private refused: string | undefined;
  private metrics: Metrics = Object.fromEntries(METRICS.map((name) => [name, 0])) as Metrics;

  constructor(private readonly options: { anyHost: boolean }) {}

  /** The listener to send to, from the stored configuration: null stops sending. */
  configure(destination: Destination | null): void {
    const same =
      destination !== null &&
      this.destination !== null &&
      destination.protocol === this.destination.protocol &&
      destination.address === this.destination.address &&
      destination.port === this.destination.port;
    this.destination = destination;
    if (same) return; // the limits may have changed; the connection stays
    this.disconnect();
    this.queue = [];
    this.metrics.audit_sink_pending_bytes = 0;
    this.attempts = 0;
    this.exhausted = false;
    this.refused = undefined;
    if (!destination) return;
    if (destination.protocol === 'TCP' && !this.options.anyHost && !isLoopback(destination.address)) {
      this.refused = `${destination.address} is not a loopback address; the mock sends there only with --audit-any-host`;
      return;
    }
    this.connectNow();
  }

  /** Hands records to the sender: written at once when connected, queued (or dropped) when not. */
  send(records: object[]): void {
    for (const record of records) {
      const line = Buffer.from(`${JSON.stringify(record)}\n`);
      const max = this.destination?.queueMaxBytes ?? 0;
      if (this.connected && this.socket && this.queue.length === 0) {
        this.write(line);
      } else if (!this.destination || this.refused || this.exhausted) {
        this.drop('disconnected', line.length);
      } else if (max === 0) {
        this.drop('queue_disabled', line.length);
      } else if (line.length > max) {
        this.drop('record_too_large', line.length);
      } else if (this.metrics.audit_sink_pending_bytes + line.length > max) {
        this.drop('queue_full', line.length);
      } else {
        this.queue.push(line);
        this.metrics.audit_sink_pending_bytes += line.length;
        this.metrics.audit_sink_queue_high_watermark_bytes = Math.max(
          this.metrics.audit_sink_queue_high_watermark_bytes,
          this.metrics.audit_sink_pending_bytes,
        );
      }
    }
  }

  stats(): Metrics & { destination: (Omit<Destination, never> & { connected: boolean; refused?: string }) | null } {
    const destination = this.destination && {
      ...this.destination,
      connected: this.connected,
      ...(this.refused ? { refused: this.refused } : {}),
    };
    return { ...this.metrics, destination };
  }

  /** Stops sending and closes the connection; the counts stay. */
  close(): void {
    this.configure(null);
  }

  private connectNow(): void {
    const destination = this.destination!;
    const socket =
      destination.protocol === 'local'
        ? connect({ path: destination.address })
        : connect({ host: destination.address, port: destination.port! });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.attempts = 0;
      this.metrics.audit_sink_connect_events++;
      this.metrics.audit_sink_connected_workers = 1;
      const queued = this.queue;
      this.queue = [];
      this.metrics.audit_sink_pending_bytes = 0;
      for (const line of queued) this.write(line);
    });
    // A listener never writes to the sender; what it writes is not read.
    socket.resume();
    socket.on('error', () => {}); // 'close' follows, and says what happens next
    socket.on('close', () => {
      if (this.socket !== socket) return; // replaced or closed on purpose
      this.lost(socket);
      this.socket = null;
      this.scheduleReconnect();
    });
  }

  private write(line: Buffer): void {
    const socket = this.socket!;
    if (socket.destroyed || !socket.writable) {
      this.drop('send_failed', line.length);
      return;
    }
    socket.write(line);
    this.metrics.audit_sink_sent_messages++;
    this.metrics.audit_sink_sent_bytes += line.length;
  }

  private drop(why: Drop, bytes: number): void {
    this.metrics.audit_sink_dropped_messages++;
    this.metrics.audit_sink_dropped_bytes += bytes;
    this.metrics[`audit_sink_dropped_${why}_messages`]++;
  }

  /** A connection that was up went down: bytes the socket still held are lost. */
  private lost(socket: Socket): void {
    if (!this.connected) return;
    this.connected = false;
    this.metrics.audit_sink_connected_workers = 0;
    this.metrics.audit_sink_disconnect_events++;
    if (socket.writableLength > 0) {
      this.metrics.audit_sink_disconnect_loss_events++;
      this.metrics.audit_sink_disconnect_loss_bytes += socket.writableLength;
    }
  }

  private scheduleReconnect(): void {
    const destination = this.destination;
    if (!destination) return;
    if (destination.reconnectMaxAttempts > 0 && this.attempts >= destination.reconnectMaxAttempts) {
      this.exhausted = true;
      this.metrics.audit_sink_reconnect_attempts_exhausted++;
      // Nothing will carry what waits: it is dropped, as records sent from now on will be.
      for (const line of this.queue) this.drop('disconnected', line.length);
      this.queue = [];
      this.metrics.audit_sink_pending_bytes = 0;
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.attempts++;
        this.metrics.audit_sink_reconnect_attempts++;
        this.connectNow();
      },
      Math.max(destination.reconnectIntervalSeconds * 1000, MIN_RECONNECT_MS),
    );
    this.timer.unref();
  }

  /** Closes the connection on purpose (a DELETE, a new listener, a stop): what was written still goes out. */
  private disconnect(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    if (this.connected) {
      this.connected = false;
      this.metrics.audit_sink_connected_workers = 0;
      this.metrics.audit_sink_disconnect_events++;
    }
    socket.end();
    // A listener that reads nothing more must not hold the socket open.
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
