import { rooms, type InboxEvent } from "./events";
import type { ParleyIo } from "./publish";

/**
 * How long an inbox's next frame waits, as a multiple of what its last frame took to send. Sending
 * one frame to every agent socket of an inbox costs about 15 µs per socket (a write each): 0.1 ms
 * with 5 agents, 8 ms with 500. At 100 messages/s, 500 agents would spend the whole of a core on
 * writes alone. With the next frame held back four times as long as the last took, writing is at
 * most a fifth of the server's time: a small inbox sends every event at once (it waits well under
 * a millisecond), a large and busy one sends the events of the last few tens of milliseconds
 * together in one `batch` frame.
 */
const WAIT_PER_SEND = 4;

/** However long a frame took (a pause for garbage collection, say), the next waits at most this. */
const MAX_WAIT_MS = 250;

interface Frames {
  pending: InboxEvent[];
  /** Set while the pending events wait for `nextAt`. */
  timer: NodeJS.Timeout | undefined;
  /** performance.now() before which the inbox's next frame waits. */
  nextAt: number;
}

/**
 * Every event for an inbox's agents goes through here, in the order published: one event alone
 * goes as itself, several waiting ones as one `batch` frame, in order. A socket never receives an
 * inbox's events out of order, whichever code path (a webhook, a request, a worker) published them.
 */
export class InboxFrames {
  private readonly inboxes = new Map<string, Frames>();

  constructor(
    private readonly io: ParleyIo,
    /** The next frame's wait as a multiple of the last frame's cost (tests use a large one). */
    private readonly waitPerSend = WAIT_PER_SEND,
  ) {}

  send(inboxId: string, event: InboxEvent): void {
    let frames = this.inboxes.get(inboxId);
    if (!frames) {
      frames = { pending: [], timer: undefined, nextAt: 0 };
      this.inboxes.set(inboxId, frames);
    }
    frames.pending.push(event);
    if (frames.timer) return;
    const wait = frames.nextAt - performance.now();
    if (wait <= 0) {
      this.flush(inboxId, frames);
      return;
    }
    const waiting = frames;
    frames.timer = setTimeout(() => this.flush(inboxId, waiting), wait);
  }

  /** Sends whatever waits now (shutdown, tests). */
  flushAll(): void {
    for (const [inboxId, frames] of this.inboxes) {
      if (frames.pending.length > 0) this.flush(inboxId, frames);
    }
  }

  private flush(inboxId: string, frames: Frames): void {
    clearTimeout(frames.timer);
    frames.timer = undefined;
    const events = frames.pending;
    frames.pending = [];
    const started = performance.now();
    const room = this.io.to(rooms.inbox(inboxId));
    const [only] = events;
    if (events.length === 1 && only) {
      // Typed emit takes one event name at a time; `only` is a valid pair by construction.
      (room.emit as (name: string, payload: unknown) => boolean)(only[0], only[1]);
    } else if (events.length > 1) {
      room.emit("batch", events);
    }
    const finished = performance.now();
    frames.nextAt = finished + Math.min((finished - started) * this.waitPerSend, MAX_WAIT_MS);
  }
}
