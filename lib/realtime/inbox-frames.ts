import { rooms, type InboxEvent } from "./events";
import type { ParleyIo } from "./publish";

/**
 * How many socket writes an inbox's frames may make per second, sustained, and how many at once
 * beyond that. A frame is one write to every agent socket of the inbox, about 15 µs of CPU each:
 * under a millisecond with 50 agents, 8 ms with 500. At 100 messages/s, 500 agents would spend most
 * of a core on writes alone. So each inbox has a budget of writes, refilled at `writesPerSecond` and
 * kept up to `burstWrites`: while it lasts, every event goes at once, as itself (50 agents at 100
 * messages/s make 5,000 writes a second and never wait); once spent, the inbox's next frame waits
 * until the budget is back, and the events of that wait go together in one `batch` frame (500
 * agents at 100 messages/s: a frame every 50 ms, five messages in each, a sixth of a core).
 * Counted, not timed: the writes a frame starts partly happen after `emit` returns, and a clock
 * would measure how busy the machine is as much as what the frame cost.
 */
export interface FrameBudget {
  writesPerSecond: number;
  burstWrites: number;
}

const BUDGET: FrameBudget = { writesPerSecond: 10_000, burstWrites: 1_000 };

/** However far over budget an inbox is, its next frame waits at most this. */
const MAX_WAIT_MS = 250;

interface Frames {
  pending: InboxEvent[];
  /** Set while the pending events wait for the budget. */
  timer: NodeJS.Timeout | undefined;
  /** Writes the inbox may make now (below zero: over budget). */
  credit: number;
  /** performance.now() when `credit` was last brought up to date. */
  creditAt: number;
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
    private readonly budget: FrameBudget = BUDGET,
  ) {}

  send(inboxId: string, event: InboxEvent): void {
    const now = performance.now();
    let frames = this.inboxes.get(inboxId);
    if (!frames) {
      frames = { pending: [], timer: undefined, credit: this.budget.burstWrites, creditAt: now };
      this.inboxes.set(inboxId, frames);
    }
    frames.pending.push(event);
    if (frames.timer) return;
    this.refill(frames, now);
    if (frames.credit >= 0) {
      this.flush(inboxId, frames);
      return;
    }
    const wait = Math.min((-frames.credit / this.budget.writesPerSecond) * 1000, MAX_WAIT_MS);
    const waiting = frames;
    frames.timer = setTimeout(() => this.flush(inboxId, waiting), wait);
  }

  /** Sends whatever waits now (shutdown, tests). */
  flushAll(): void {
    for (const [inboxId, frames] of this.inboxes) {
      if (frames.pending.length > 0) this.flush(inboxId, frames);
    }
  }

  private refill(frames: Frames, now: number): void {
    const earned = ((now - frames.creditAt) / 1000) * this.budget.writesPerSecond;
    frames.credit = Math.min(frames.credit + earned, this.budget.burstWrites);
    frames.creditAt = now;
  }

  private flush(inboxId: string, frames: Frames): void {
    clearTimeout(frames.timer);
    frames.timer = undefined;
    const events = frames.pending;
    frames.pending = [];
    const room = rooms.inbox(inboxId);
    // This instance's sockets in the room: the writes this frame makes here.
    const writes = this.io.of("/").adapter.rooms.get(room)?.size ?? 0;
    const to = this.io.to(room);
    const [only] = events;
    if (events.length === 1 && only) {
      // Typed emit takes one event name at a time; `only` is a valid pair by construction.
      (to.emit as (name: string, payload: unknown) => boolean)(only[0], only[1]);
    } else if (events.length > 1) {
      to.emit("batch", events);
    }
    this.refill(frames, performance.now());
    // A wait capped at MAX_WAIT_MS forgives the rest of a debt that large.
    frames.credit = Math.max(frames.credit - writes, (-MAX_WAIT_MS / 1000) * this.budget.writesPerSecond);
  }
}
