/**
 * The process's open event streams and what they are told: one hub per process, fed by one change
 * source (changes.server.ts), fanned out in memory to the streams of the user a change belongs to.
 *
 * What a page hears (Server-Sent Events, read by src/todos/live.ts):
 * - `change`: the user's todos changed (any instance, any tab, including this one): fetch the list;
 * - `refresh`: changes may have been missed (the stream resumed after a gap, or the change source
 *   reconnected): fetch the list;
 * - `end`: the session ended (signed out, "sign out everywhere", expired): stop listening;
 * - a comment line every `heartbeatMs`, carrying an `id:` so a resumed stream (`Last-Event-ID`)
 *   starts from the latest moment it is known to be up to date. No query per heartbeat.
 *
 * Event ids are this process's clock in milliseconds: a stream that resumes on another instance
 * (after a restart, behind a load balancer) compares them with that instance's record of recent
 * changes, with `RESUME_SLACK_MS` for clocks and delivery times that differ a little between
 * processes (a change told twice costs one extra fetch, a change missed would cost correctness).
 *
 * Sessions: every `sessionCheckMs`, one query checks the sessions of all the open streams at once;
 * a `session_ends` message for a user checks that user's streams at once.
 */
import { log } from '#lib/log/log.server.ts';

export interface HubSettings {
  maxStreams: number;
  maxStreamsPerUser: number;
  heartbeatMs: number;
  sessionCheckMs: number;
}

/** Of the given session token hashes, the ones still live (one query, whatever their number). */
export type SessionCheck = (tokenHashes: string[]) => Promise<Set<string>>;

/** One open stream: what the route handed over to write to and to end it. */
interface Stream {
  readonly userId: number;
  readonly tokenHash: string;
  write(chunk: string): void;
  end(): void;
}

/**
 * Why a stream was refused: too many for this user (429) or for this process (503). Values, not
 * error classes: the server entry and the bundled routes load separate copies of this module.
 */
export type Refusal = 'user' | 'process';

/** How far back a resume with an id from another process's clock is replayed. */
export const RESUME_SLACK_MS = 2_000;
/** Recent changes kept for resuming streams (a user id and a time each: a few hundred KiB at most). */
const RECENT_CHANGES = 10_000;
/** How long a client waits before reconnecting a dropped stream. */
const RETRY_MS = 2_000;

const event = (name: string, id: number, data: unknown = {}): string =>
  `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export class LiveHub {
  private readonly byUser = new Map<number, Set<Stream>>();
  private count = 0;
  /** Changes seen, oldest first (a ring: `recentStart` is the oldest). */
  private readonly recent: Array<{ at: number; userId: number }> = [];
  private recentStart = 0;
  /** Since when every change is in `recent` (null: the change source is down, nothing is known). */
  private coveredSince: number | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly usersToCheck = new Set<number>();
  private checking: Promise<void> | null = null;
  private closed = false;
  private activity: ((active: boolean) => void) | undefined;

  private readonly settings: HubSettings;
  private readonly checkSessions: SessionCheck;

  constructor(settings: HubSettings, checkSessions: SessionCheck) {
    this.settings = settings;
    this.checkSessions = checkSessions;
    const heartbeat = setInterval(() => this.heartbeat(), settings.heartbeatMs);
    const sessions = setInterval(() => this.checkStreams(null), settings.sessionCheckMs);
    for (const timer of [heartbeat, sessions]) {
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Open streams in this process. */
  get size(): number {
    return this.count;
  }

  /** Tells `onChange` when the first stream opens (true) and the last one closes (false). */
  watchActivity(onChange: (active: boolean) => void): void {
    this.activity = onChange;
  }

  /** Users with open streams (what a poll asks about). */
  users(): number[] {
    return [...this.byUser.keys()];
  }

  /** Whether another stream may open (checked before any query). */
  hasRoom(): boolean {
    return !this.closed && this.count < this.settings.maxStreams;
  }

  /**
   * Adds a stream; `since` (a `Last-Event-ID`, or the time the page's list was read) decides what
   * it is told first: nothing, `change`, or `refresh`. Returns the function that removes it, or
   * why it was refused.
   */
  open(
    userId: number,
    tokenHash: string,
    since: number | null,
    write: (chunk: string) => void,
    end: () => void,
  ): { remove: () => void } | { refused: Refusal } {
    if (!this.hasRoom()) return { refused: 'process' };
    const streams = this.byUser.get(userId) ?? new Set<Stream>();
    if (streams.size >= this.settings.maxStreamsPerUser) return { refused: 'user' };
    const stream: Stream = { userId, tokenHash, write, end };
    streams.add(stream);
    this.byUser.set(userId, streams);
    this.count++;
    if (this.count === 1) this.activity?.(true);
    const now = Date.now();
    write(`retry: ${RETRY_MS}\nid: ${now}\n: connected\n\n`);
    if (since !== null) {
      const missed = this.missedSince(userId, since);
      if (missed) write(event(missed, now));
    }
    return { remove: () => this.remove(stream) };
  }

  /** A change of `userId`'s todos (from the change source). */
  changed(userId: number, kind: string): void {
    const at = Date.now();
    this.remember(at, userId);
    const streams = this.byUser.get(userId);
    if (!streams) return;
    const chunk = event('change', at, { kind });
    for (const stream of streams) stream.write(chunk);
  }

  /** A session of `userId` ended somewhere: check that user's streams now. */
  sessionEnded(userId: number): void {
    if (!this.byUser.has(userId)) return;
    this.usersToCheck.add(userId);
    void this.checkStreams(this.usersToCheck);
  }

  /** The change source is listening (again): from now on every change is known; tell streams to refetch. */
  sourceUp(): void {
    const wasDown = this.coveredSince === null;
    this.coveredSince = Date.now();
    this.recent.length = 0;
    this.recentStart = 0;
    if (wasDown) this.broadcast(event('refresh', this.coveredSince));
  }

  /** The change source dropped: changes may go unseen until it is back. */
  sourceDown(): void {
    this.coveredSince = null;
  }

  /**
   * A poll (no LISTEN) knows only that something changed by now, not when: a resumed or new stream
   * is always told to refetch (covered by nothing).
   */
  coverNothing(): void {
    this.coveredSince = Number.POSITIVE_INFINITY;
  }

  /** Ends every stream (shutdown): clients reconnect, to another instance or to this one restarted. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const streams of this.byUser.values()) for (const stream of streams) stream.end();
    this.byUser.clear();
    this.count = 0;
  }

  private remove(stream: Stream): void {
    const streams = this.byUser.get(stream.userId);
    if (!streams?.delete(stream)) return;
    this.count--;
    if (this.count === 0) this.activity?.(false);
    if (streams.size === 0) this.byUser.delete(stream.userId);
  }

  private missedSince(userId: number, since: number): 'change' | 'refresh' | null {
    const from = since - RESUME_SLACK_MS;
    if (this.coveredSince === null || from < this.coveredSince) return 'refresh';
    for (let i = 0; i < this.recent.length; i++) {
      const entry = this.recent[(this.recentStart + i) % this.recent.length]!;
      if (entry.userId === userId && entry.at > from) return 'change';
    }
    return null;
  }

  private remember(at: number, userId: number): void {
    if (this.recent.length < RECENT_CHANGES) {
      this.recent.push({ at, userId });
      return;
    }
    // Full: the oldest goes, and with it the certainty about anything before the next one.
    this.recent[this.recentStart] = { at, userId };
    this.recentStart = (this.recentStart + 1) % RECENT_CHANGES;
    const oldest = this.recent[this.recentStart]!;
    if (this.coveredSince !== null) this.coveredSince = Math.max(this.coveredSince, oldest.at);
  }

  private heartbeat(): void {
    // Only streams that are up to date get the id: all of them, unless the source is down.
    const chunk = this.coveredSince === null ? ': \n\n' : `id: ${Date.now()}\n: \n\n`;
    this.broadcast(chunk);
  }

  private broadcast(chunk: string): void {
    for (const streams of this.byUser.values()) for (const stream of streams) stream.write(chunk);
  }

  /** One query for the sessions of the given users' streams (null: every stream). */
  private checkStreams(users: Set<number> | null): Promise<void> {
    if (this.checking) {
      // One query at a time; users asked for meanwhile are checked right after.
      if (users === null) for (const userId of this.byUser.keys()) this.usersToCheck.add(userId);
      return this.checking.then(() => (this.usersToCheck.size > 0 ? this.checkStreams(this.usersToCheck) : undefined));
    }
    const streams: Stream[] = [];
    for (const [userId, set] of this.byUser) if (users === null || users.has(userId)) streams.push(...set);
    users?.clear();
    if (streams.length === 0) return Promise.resolve();
    this.checking = this.checkSessions([...new Set(streams.map((s) => s.tokenHash))])
      .then((live) => {
        const at = Date.now();
        for (const stream of streams) {
          if (live.has(stream.tokenHash)) continue;
          stream.write(event('end', at, { reason: 'signed_out' }));
          stream.end();
          this.remove(stream);
        }
      })
      .catch((error: unknown) => log.warn('[live] session check failed; trying again later', { error: String(error) }))
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }
}
