declare global {
  // Set by the outbox worker (server.ts); route bundles reach it through globalThis.
  var __parleyOutboxNudge: (() => void) | undefined;
}

/** After a commit that queued work: wake this instance's sender now instead of at its next poll. */
export function nudgeOutbox(): void {
  globalThis.__parleyOutboxNudge?.();
}

export function setOutboxNudge(nudge: (() => void) | undefined): void {
  globalThis.__parleyOutboxNudge = nudge;
}
