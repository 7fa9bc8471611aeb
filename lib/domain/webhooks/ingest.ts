import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, isNull, ne, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/lib/db";
import { isConnectionError, sqlStateOf } from "@/lib/db/errors";
import { arrayParam } from "@/lib/db/array-param";
import { afterInsertOf } from "@/lib/db/pipeline";
import { withTransactionMemo } from "@/lib/db/tx-memo";
import { retryOnConflict, isTransientConflict } from "@/lib/db/retry";
import {
  contacts,
  conversations,
  inboxes,
  messages,
  templates,
  webhookEvents,
  type Contact,
  type Conversation,
  type Message,
  type TemplateStatus,
} from "@/lib/db/schema";
import { log } from "@/lib/log";
import { publish } from "@/lib/realtime/publish";
import { maybeQueueOffHoursReply, onCustomerMessage, type SlaChange } from "../sla";
import { loadInboxSlaSettings } from "../sla/inbox-settings";
import { loadInboxConsentSettings } from "../consents/settings";
import { nudgeOutbox } from "../outbox/nudge";
import { jsonDepth, MAX_JSON_DEPTH, storableJson } from "@/lib/whatsapp/json-safety";
import {
  planWebhook,
  type InboundIdentity,
  type PlannedMessage,
  type PlannedTemplateUpdate,
  type WebhookPlan,
} from "@/lib/whatsapp/webhook-plan";
import { inTransaction, type Ctx } from "../context";
import { ForbiddenError, InvalidInputError } from "../errors";
import { announceMessages } from "../messages/announce";
import { applyDeliveryStatus, keepPendingStatus, wamidLockKey } from "../messages/delivery";
import { announceConsentChanges } from "../consents/announce";
import { applyConsentKeyword, applyPreferenceUpdate, type ConsentChange } from "../consents/keywords";
import { keepMaskedOriginal } from "../privacy/originals";
import { maskInboundWebhook, type MaskedOriginal } from "./mask-inbound";

export interface IngestWebhookInput {
  /** The body exactly as received; its signature has been checked by the caller. */
  rawBody: string;
  signature: string | null;
}

export interface IngestOutcome {
  eventId: number;
  messagesStored: number;
  duplicates: number;
  statusesApplied: number;
  notes: string[];
  /** Why (part of) the event could not be processed; it is stored and acknowledged all the same. */
  error: string | null;
}

export interface AcceptOutcome {
  eventId: number;
  /** Stored for the queue (`processQueuedWebhookEvents`) rather than processed before the answer. */
  queued: boolean;
}

interface Effects {
  created: Message[];
  statusChanged: Map<string, Message>;
  conversations: Map<string, Conversation>;
  duplicates: number;
  /** Response clocks started by customer messages, announced after commit. */
  slaChanges: SlaChange[];
  /** STOP/START and WhatsApp preference changes recorded in the consent ledger. */
  consentChanges: ConsentChange[];
}

/** A body understood without the database: what to store, and what (if anything) to derive. */
interface PreparedEvent {
  /** The body as stored: as received, with customers' card numbers and codes masked. */
  rawBody: string;
  plan: WebhookPlan | undefined;
  /** Why nothing can be derived from it (too deep, not a WhatsApp shape). */
  unprocessable: string | null;
  /** The unmasked messages by wamid, for message_originals. */
  originals: Map<string, MaskedOriginal>;
}

interface EventOutcome {
  notes: string[];
  error: string | null;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Events processed in one transaction by the queue; one commit serves them all. */
const QUEUE_BATCH = 50;

function prepareWebhook(rawBody: string): PreparedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new InvalidInputError("The webhook body is not valid JSON.");
  }
  if (jsonDepth(rawBody) > MAX_JSON_DEPTH) {
    return {
      rawBody,
      plan: undefined,
      unprocessable: `The body is nested deeper than ${MAX_JSON_DEPTH} levels; stored without processing.`,
      originals: new Map(),
    };
  }
  const outcome = planWebhook(storableJson(parsed));
  if (!outcome.ok) return { rawBody, plan: undefined, unprocessable: outcome.reason, originals: new Map() };
  // Customers' card numbers and codes are masked before anything is stored, the raw event too.
  const masked = maskInboundWebhook(outcome.plan, rawBody);
  return { rawBody: masked.rawBody, plan: masked.plan, unprocessable: null, originals: masked.originals };
}

/**
 * The webhook route's verb: stores one signed WhatsApp webhook durably and returns, so Meta gets
 * its 200 as soon as the raw event has committed. The event then waits in the queue
 * (`processQueuedWebhookEvents`, run at once by the caller and by every instance's worker). Two
 * kinds are processed before answering instead: bodies nothing can be derived from (stored with
 * their error), and messages whose masked originals must be kept, which never wait in a queue.
 */
export async function acceptWhatsAppWebhook({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: IngestWebhookInput;
}): Promise<AcceptOutcome> {
  if (ctx.actor.kind !== "system") throw new ForbiddenError("Webhooks are processed by Parley itself.");
  const prepared = prepareWebhook(input.rawBody);
  if (!prepared.plan || prepared.originals.size > 0) {
    const outcome = await ingestPrepared(ctx, prepared, input.signature);
    return { eventId: outcome.eventId, queued: false };
  }
  const [event] = await ctx.db
    .insert(webhookEvents)
    .values({ rawBody: prepared.rawBody, signature: input.signature, receivedAt: ctx.now })
    .returning({ id: webhookEvents.id });
  if (!event) throw new Error("webhook event insert returned no row");
  rememberPrepared(event.id, prepared);
  return { eventId: event.id, queued: true };
}

/**
 * Stores one signed WhatsApp webhook and everything derived from it in one transaction. Exactly
 * once: a message is inserted once per wamid however often Meta delivers it (also concurrently),
 * statuses only move forward, and socket events go out after commit for rows that actually
 * changed. What cannot be understood is recorded on the event and acknowledged, since any other
 * answer makes Meta retry for days.
 */
export async function ingestWhatsAppWebhook({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: IngestWebhookInput;
}): Promise<IngestOutcome> {
  if (ctx.actor.kind !== "system") throw new ForbiddenError("Webhooks are processed by Parley itself.");
  return ingestPrepared(ctx, prepareWebhook(input.rawBody), input.signature);
}

async function ingestPrepared(
  ctx: Ctx,
  prepared: PreparedEvent,
  signature: string | null,
): Promise<IngestOutcome> {
  const result = await retryOnConflict(() =>
    inTransaction(ctx, async (tx) => {
      const [event] = await tx
        .insert(webhookEvents)
        .values({ rawBody: prepared.rawBody, signature, receivedAt: ctx.now })
        .returning({ id: webhookEvents.id });
      if (!event) throw new Error("webhook event insert returned no row");
      const effects = emptyEffects();
      // One by one: the savepoint keeps the raw event when deriving fails.
      const [outcome] = await processEvents(
        tx,
        [{ id: event.id, prepared, now: ctx.now }],
        effects,
        "one by one",
        ctx.now,
        await numberedInboxes(tx),
      );
      if (!outcome) throw new Error("webhook event was not processed");
      await recordOutcomes(tx, [{ id: event.id, outcome }], ctx.now);
      return { eventId: event.id, effects, ...outcome };
    }),
  );
  announce(result.effects);
  const { effects } = result;
  return {
    eventId: result.eventId,
    messagesStored: effects.created.filter((message) => message.direction === "inbound").length,
    duplicates: effects.duplicates,
    statusesApplied: effects.statusChanged.size,
    notes: result.notes,
    error: result.error,
  };
}

/**
 * Processes up to `limit` acknowledged events, oldest first, in one transaction. Events another
 * transaction holds (another instance's worker) are skipped, so each is processed exactly once;
 * a crash before commit leaves them queued for the next pass. Resolves to how many it took.
 */
export async function processQueuedWebhookEvents({
  db,
  now,
  limit = QUEUE_BATCH,
}: {
  db: Database;
  now: () => Date;
  limit?: number;
}): Promise<number> {
  // Together first: the batch in one transaction without savepoints. If one event fails for a
  // reason a retry cannot fix, the batch runs again with each event in a savepoint, so only that
  // event keeps an error and the others are stored.
  let mode: BatchMode = "together";
  for (;;) {
    try {
      const result = await retryOnConflict(() =>
        db.transaction(async (tx) => {
          // The claim and the inboxes' WhatsApp numbers in one round trip. Before them, for this
          // transaction only: PostgreSQL may reuse one plan for each of the pass's statements.
          // Connections plan every run for its values (`openDatabase`), which searches need; the
          // queue's statements find and write rows by key, whatever the values, and planning them
          // afresh took about a fifth of PostgreSQL's CPU per message (docs/architecture.md).
          const [, rows, numbered] = await Promise.all([
            tx.execute(sql`set local plan_cache_mode = auto`),
            tx
              .select({
                id: webhookEvents.id,
                rawBody: webhookEvents.rawBody,
                receivedAt: webhookEvents.receivedAt,
              })
              .from(webhookEvents)
              .where(isNull(webhookEvents.processedAt))
              .orderBy(asc(webhookEvents.id))
              .limit(limit)
              .for("update", { skipLocked: true })
              .execute(),
            numberedInboxes(tx),
          ]);
          const effects = emptyEffects();
          if (rows.length === 0) return { count: 0, effects };
          const events = rows.map((row) => ({
            id: row.id,
            prepared: takePrepared(row.id) ?? prepareStored(row.rawBody),
            now: row.receivedAt,
          }));
          const processedAt = now();
          const outcomes = await processEvents(tx, events, effects, mode, processedAt, numbered);
          await recordOutcomes(
            tx,
            events.map((event, index) => ({ id: event.id, outcome: outcomes[index] as EventOutcome })),
            processedAt,
          );
          return { count: rows.length, effects };
        }),
      );
      announce(result.effects);
      return result.count;
    } catch (error) {
      if (mode === "together" && error instanceof EventFailedInBatch) {
        mode = "one by one";
        continue;
      }
      throw error;
    }
  }
}

type BatchMode = "together" | "one by one";

/** An event failed for a reason a retry cannot fix, in a batch without savepoints. */
class EventFailedInBatch extends Error {
  constructor(
    readonly eventId: number,
    cause: unknown,
  ) {
    super(`webhook event ${eventId} could not be processed`, { cause });
  }
}

declare global {
  // server.ts and the route bundles load separate copies of this module; one process, one memo.
  var __parleyPreparedWebhooks: Map<number, PreparedEvent> | undefined;
}

/** How many accepted events' plans a process keeps for its own queue to pick up. */
const PREPARED_KEPT = 1_000;

/**
 * The plan an acknowledged event was accepted with, kept in this process so its queue does not
 * parse and plan the body a second time (about a tenth of the server's work per message). Only
 * for events queued as stored: no masked originals, so planning the stored body gives the same
 * plan. Bounded: the oldest are dropped, and another instance's worker, or this one after a
 * restart, plans from the stored body as before.
 */
function rememberPrepared(eventId: number, prepared: PreparedEvent) {
  const kept = (globalThis.__parleyPreparedWebhooks ??= new Map());
  kept.set(eventId, prepared);
  if (kept.size > PREPARED_KEPT) {
    const oldest = kept.keys().next();
    if (!oldest.done) kept.delete(oldest.value);
  }
}

function takePrepared(eventId: number): PreparedEvent | undefined {
  const kept = globalThis.__parleyPreparedWebhooks;
  const prepared = kept?.get(eventId);
  kept?.delete(eventId);
  return prepared;
}

/** A queued body, stored already masked: planned again (a body that no longer plans is an error). */
function prepareStored(rawBody: string): PreparedEvent {
  try {
    return { ...prepareWebhook(rawBody), originals: new Map() };
  } catch (error) {
    return {
      rawBody,
      plan: undefined,
      unprocessable: error instanceof Error ? error.message : String(error),
      originals: new Map(),
    };
  }
}

/**
 * Derives everything from a batch of events inside the caller's transaction. The batch's customer
 * and wamid locks are taken first, all in one sorted order, so concurrent batches queue instead of
 * deadlocking; wamids already stored are looked up once for the batch, and settings are read once
 * per inbox (`withTransactionMemo`). "one by one" runs each event in a savepoint: if deriving fails
 * for a reason a retry cannot fix, only that event's rows roll back and the event keeps the error.
 * "together" runs them without savepoints and throws `EventFailedInBatch` instead.
 */
async function processEvents(
  tx: Transaction,
  events: { id: number; prepared: PreparedEvent; now: Date }[],
  effects: Effects,
  mode: BatchMode,
  processedAt: Date,
  /** Inbox ids by WhatsApp phone_number_id (`numberedInboxes`). */
  inboxByNumber: Map<string, string>,
): Promise<EventOutcome[]> {
  const changes = events.flatMap((event) => event.prepared.plan?.changes ?? []);
  return withTransactionMemo(tx, async () => {
    // One round trip for the rest of the batch's preparation, pipelined: the locks, the wamids
    // already stored, every event marked processed (the same commit stores what they derive; an
    // error or a note is added by `recordOutcomes`), and the settings each customer message needs
    // (memoized for the transaction).
    const [, stored] = await Promise.all([
      lockAll(tx, lockKeys(events, inboxByNumber)),
      storedWamids(tx, changes, inboxByNumber),
      markProcessed(tx, events, processedAt),
      ...settingsForCustomerMessages(tx, changes, inboxByNumber),
    ]);
    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      const { plan, unprocessable, originals } = event.prepared;
      const notes = [...(plan?.notes ?? [])];
      let error = unprocessable;
      if (plan) {
        const own = emptyEffects();
        const apply = (executor: Transaction) =>
          applyPlan(executor, plan, inboxByNumber, event.now, own, notes, originals, stored);
        try {
          if (mode === "together") await apply(tx);
          else await tx.transaction(apply);
          mergeEffects(effects, own);
          for (const message of own.created)
            if (message.wamid) stored.add(wamidKey(message.inboxId, message.wamid));
        } catch (caught) {
          if (isTransientConflict(caught) || isConnectionError(caught)) throw caught;
          if (mode === "together") throw new EventFailedInBatch(event.id, caught);
          // The failed query's text carries the customer's message; the reason and code do not.
          const reason = failureReason(caught);
          log.error("webhook processing failed; the event is stored", {
            eventId: event.id,
            reason,
            code: sqlStateOf(caught),
          });
          error = `Processing failed: ${reason}`;
        }
      }
      // The notes can name customers; they stay on the event row, the log only points at it.
      if (notes.length > 0) log.info("webhook stored with notes", { eventId: event.id, notes: notes.length });
      outcomes.push({ notes, error });
    }
    return outcomes;
  });
}

/**
 * Inbox ids by WhatsApp phone_number_id, for every inbox that has one: a business has a handful,
 * so reading them all is cheaper than a lookup per batch that must wait for the bodies.
 */
async function numberedInboxes(tx: Transaction): Promise<Map<string, string>> {
  const rows = await tx
    .select({ id: inboxes.id, phoneNumberId: inboxes.phoneNumberId })
    .from(inboxes)
    .where(isNotNull(inboxes.phoneNumberId));
  const byNumber = new Map<string, string>();
  for (const row of rows) if (row.phoneNumberId) byNumber.set(row.phoneNumberId, row.id);
  return byNumber;
}

/** What went wrong, without the failed query drizzle wraps around the database's own message. */
function failureReason(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

function wamidKey(inboxId: string, wamid: string): string {
  return `${inboxId}\u0000${wamid}`;
}

/** The batch's message wamids already stored (Meta retries for days), in one query. */
async function storedWamids(
  tx: Transaction,
  changes: WebhookPlan["changes"],
  inboxByNumber: Map<string, string>,
): Promise<Set<string>> {
  const wamids = [...new Set(changes.flatMap((change) => change.messages.map((message) => message.wamid)))];
  const found = new Set<string>();
  if (wamids.length === 0) return found;
  const inboxIds = [...new Set(inboxByNumber.values())];
  if (inboxIds.length === 0) return found;
  const rows = await tx
    .select({ inboxId: messages.inboxId, wamid: messages.wamid })
    .from(messages)
    .where(
      and(
        sql`${messages.inboxId} = any(${arrayParam(inboxIds, "uuid")})`,
        sql`${messages.wamid} = any(${arrayParam(wamids, "text")})`,
      ),
    );
  for (const row of rows) if (row.wamid) found.add(wamidKey(row.inboxId, row.wamid));
  return found;
}

/**
 * Starts reading the settings of each inbox a customer wrote to (the response clock's, under the
 * key-share lock it takes, and the consent keywords); memoized, so the messages find them read.
 */
function settingsForCustomerMessages(
  tx: Transaction,
  changes: WebhookPlan["changes"],
  inboxByNumber: Map<string, string>,
): Promise<unknown>[] {
  const inboxIds = new Set<string>();
  for (const change of changes) {
    const inboxId = inboxByNumber.get(change.phoneNumberId);
    if (inboxId && change.messages.some((message) => message.fromCustomer)) inboxIds.add(inboxId);
  }
  // A load that fails is not remembered: the message that needs it fails on its own, as before.
  return [...inboxIds].flatMap((inboxId) => [
    loadInboxSlaSettings(tx, inboxId, { lock: "key share" }).catch(() => undefined),
    loadInboxConsentSettings(tx, inboxId).catch(() => undefined),
  ]);
}

/** Marks the events processed, in the transaction that stores what they derive. */
async function markProcessed(tx: Transaction, events: { id: number }[], now: Date) {
  await tx
    .update(webhookEvents)
    .set({ processedAt: now })
    .where(
      sql`${webhookEvents.id} = any(${arrayParam(
        events.map((event) => event.id),
        "bigint",
      )})`,
    );
}

/** Keeps each event's error and notes, for the events that have any. */
async function recordOutcomes(tx: Transaction, events: { id: number; outcome: EventOutcome }[], now: Date) {
  for (const { id, outcome } of events) {
    if (outcome.error === null && outcome.notes.length === 0) continue;
    await tx
      .update(webhookEvents)
      .set({ processedAt: now, error: outcome.error, notes: outcome.notes.length > 0 ? outcome.notes : null })
      .where(eq(webhookEvents.id, id));
  }
}

/**
 * Socket events for what committed, then the outbox nudge for automatic replies. A conversation's
 * new row and clock ride on its last stored message (one frame per message for every agent).
 */
function announce(effects: Effects) {
  announceMessages({
    created: effects.created,
    conversations: effects.conversations.values(),
    slaChanges: effects.slaChanges,
  });
  for (const message of effects.statusChanged.values()) publish.messageStatus(message);
  announceConsentChanges(effects.consentChanges);
  if (effects.created.some((message) => message.direction === "outbound")) nudgeOutbox();
}

function emptyEffects(): Effects {
  return {
    created: [],
    statusChanged: new Map(),
    conversations: new Map(),
    duplicates: 0,
    slaChanges: [],
    consentChanges: [],
  };
}

function mergeEffects(into: Effects, from: Effects) {
  into.created.push(...from.created);
  for (const [id, message] of from.statusChanged) into.statusChanged.set(id, message);
  for (const [id, conversation] of from.conversations) into.conversations.set(id, conversation);
  into.duplicates += from.duplicates;
  into.slaChanges.push(...from.slaChanges);
  into.consentChanges.push(...from.consentChanges);
}

function customerLockKey(inboxId: string, identity: PlannedMessage["identity"]): string {
  return `customer:${inboxId}:${identity.waId ? `wa:${identity.waId}` : `user:${identity.userId ?? ""}`}`;
}

/**
 * The advisory locks a batch needs: each customer who wrote (contact, then conversation, then its
 * clock are written under it) and each wamid a status names (the sender takes the same one when it
 * stores a wamid, see `lockWamid`), sorted, without repeats.
 */
function lockKeys(events: { prepared: PreparedEvent }[], inboxByNumber: Map<string, string>): string[] {
  const keys = new Set<string>();
  for (const { prepared } of events) {
    for (const change of prepared.plan?.changes ?? []) {
      const inboxId = inboxByNumber.get(change.phoneNumberId);
      if (!inboxId) continue;
      for (const message of change.messages) keys.add(customerLockKey(inboxId, message.identity));
      for (const status of change.statuses) keys.add(wamidLockKey(inboxId, status.wamid));
    }
  }
  return [...keys].sort();
}

/** Takes the transaction-scoped advisory locks in the order given, in one round trip. */
async function lockAll(tx: Transaction, keys: string[]) {
  if (keys.length === 0) return;
  // A function scan yields the array's elements in order, so the locks are taken in that order.
  await tx.execute(
    sql`select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest(${arrayParam(keys, "text")}) as k`,
  );
}

async function applyPlan(
  tx: Transaction,
  plan: WebhookPlan,
  inboxByNumber: Map<string, string>,
  now: Date,
  effects: Effects,
  notes: string[],
  originals: Map<string, MaskedOriginal>,
  stored: Set<string>,
) {
  for (const change of plan.changes) {
    const inboxId = inboxByNumber.get(change.phoneNumberId);
    if (!inboxId) {
      notes.push(
        `No inbox has phone_number_id ${change.phoneNumberId}: ${change.messages.length} message(s) and ${change.statuses.length} status(es) not stored.`,
      );
      log.warn("webhook for an unknown WhatsApp number", { phoneNumberId: change.phoneNumberId });
      continue;
    }
    for (const message of change.messages) {
      if (stored.has(wamidKey(inboxId, message.wamid))) {
        // Meta retries for days: a message already stored changes nothing, not even which
        // conversation is open.
        effects.duplicates += 1;
        continue;
      }
      await storeInboundMessage(tx, inboxId, message, now, effects, originals.get(message.wamid));
    }
    for (const status of change.statuses) {
      const update = {
        inboxId,
        wamid: status.wamid,
        status: status.status,
        at: status.at ?? now,
        errorCode: status.errorCode,
        errorTitle: status.errorTitle,
      };
      const applied = await applyDeliveryStatus(tx, update, now);
      if (applied.outcome === "changed") {
        effects.statusChanged.set(applied.message.id, applied.message);
        if (applied.conversation) effects.conversations.set(applied.conversation.id, applied.conversation);
      } else if (applied.outcome === "unknown") {
        await keepPendingStatus(tx, update);
      }
    }
  }
  for (const update of plan.templateUpdates) await applyTemplateUpdate(tx, update, now, notes);
  for (const update of plan.preferenceUpdates) {
    effects.consentChanges.push(...(await applyPreferenceUpdate(tx, update, now, notes)));
  }
}

async function storeInboundMessage(
  tx: Transaction,
  inboxId: string,
  planned: PlannedMessage,
  now: Date,
  effects: Effects,
  original: MaskedOriginal | undefined,
) {
  // A timestamp from the future never extends the 24-hour window beyond what really happened.
  const sentAt = planned.sentAt && planned.sentAt < now ? planned.sentAt : now;
  // The customer and their open conversation are looked up together (one round trip for a
  // returning customer); a new customer's contact and conversation are created after.
  const [contact, [open]] = await Promise.all([
    upsertContact(tx, inboxId, planned.identity, now),
    findOpenConversationOf(tx, inboxId, planned.identity).execute(),
  ]);
  const conversation =
    open?.contactId === contact.id
      ? open
      : await openConversation(tx, inboxId, contact.id, sentAt, now, { lookedUp: !open });

  // The message and its conversation's bookkeeping go out together, in this order (one round
  // trip); the update applies only if this very message was inserted (its id is chosen here), so
  // a duplicate changes nothing.
  const id = randomUUID();
  const [[row], [touchedRow]] = await Promise.all([
    tx
      .insert(messages)
      .values({
        id,
        conversationId: conversation.id,
        inboxId,
        direction: "inbound",
        authorKind: planned.fromCustomer ? "contact" : "system",
        type: planned.type,
        body: planned.body,
        payload: planned.payload,
        wamid: planned.wamid,
        status: "received",
        replyToWamid: planned.replyToWamid,
        createdAt: sentAt,
      })
      .onConflictDoNothing()
      .returning()
      .execute(),
    touchConversation(tx, conversation.id, id, planned, sentAt, now).execute(),
  ]);
  if (!row) {
    effects.duplicates += 1; // the same message, delivered concurrently, won the race
    return;
  }
  effects.created.push(row);
  if (original) await keepMaskedOriginal(tx, { messageId: row.id, original, now });

  let touched = touchedRow;
  if (planned.fromCustomer) {
    // STOP/START first, so no automatic reply follows an opt-out.
    const keyword = await applyConsentKeyword(tx, row, contact, now);
    if (keyword) {
      effects.consentChanges.push(keyword.change);
      if (keyword.confirmation) effects.created.push(keyword.confirmation);
      if (keyword.conversation) touched = keyword.conversation;
    }
    // The customer wrote: start the response clock (first or next response) unless one runs. The
    // bookkeeping update above holds the conversation's row lock, so its row serves the clock.
    const started = await onCustomerMessage(tx, {
      conversationId: conversation.id,
      inboxId,
      arrivedAt: sentAt,
      locked: touchedRow,
    });
    if (started) effects.slaChanges.push(started);
    // Outside business hours: one courteous automatic reply per closed period; it meets no clock.
    const autoReply = await maybeQueueOffHoursReply(tx, { inboxId, conversationId: conversation.id, now });
    if (autoReply) effects.created.push(autoReply);
  }
  if (touched) effects.conversations.set(touched.id, touched);
  if (planned.newWaId) await changeContactNumber(tx, contact, planned.newWaId, now);
}

/** Which contact a customer's identity names: by wa_id or user id, the phone-number match first. */
function contactMatch(inboxId: string, identity: InboundIdentity): { where: SQL | undefined; order: SQL } {
  const matches: SQL[] = [];
  if (identity.waId) matches.push(eq(contacts.waId, identity.waId));
  if (identity.userId) matches.push(eq(contacts.waUserId, identity.userId));
  return {
    where: and(eq(contacts.inboxId, inboxId), or(...matches)),
    // Prefer the phone-number match when the two ids point at different rows.
    order: sql`(${contacts.waId} is not distinct from ${identity.waId ?? null}) desc`,
  };
}

/** The customer's conversation that is not resolved, found by the customer's identity. */
function findOpenConversationOf(tx: Transaction, inboxId: string, identity: InboundIdentity) {
  const match = contactMatch(inboxId, identity);
  return tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.inboxId, inboxId),
        eq(
          conversations.contactId,
          tx.select({ id: contacts.id }).from(contacts).where(match.where).orderBy(match.order).limit(1),
        ),
        ne(conversations.status, "resolved"),
      ),
    )
    .limit(1);
}

/** The customer, by wa_id or (username users) business-scoped user id; the profile name kept fresh. */
export async function upsertContact(
  tx: Transaction,
  inboxId: string,
  identity: InboundIdentity,
  now: Date,
): Promise<Contact> {
  const match = contactMatch(inboxId, identity);
  const find = () => tx.select().from(contacts).where(match.where).orderBy(match.order).limit(1);

  const [found] = await find();
  if (found) {
    const changes: Partial<Contact> = {};
    if (identity.profileName && identity.profileName !== found.profileName)
      changes.profileName = identity.profileName;
    if (identity.waId && !found.waId) changes.waId = identity.waId;
    if (identity.waId && !found.phone && /^\d+$/.test(identity.waId)) changes.phone = `+${identity.waId}`;
    if (identity.userId && !found.waUserId) changes.waUserId = identity.userId;
    if (Object.keys(changes).length === 0) return found;
    const [updated] = await tx
      .update(contacts)
      .set({ ...changes, updatedAt: now })
      .where(eq(contacts.id, found.id))
      .returning();
    return updated ?? found;
  }

  const [inserted] = await tx
    .insert(contacts)
    .values({
      inboxId,
      waId: identity.waId ?? null,
      waUserId: identity.userId ?? null,
      profileName: identity.profileName ?? null,
      phone: identity.waId && /^\d+$/.test(identity.waId) ? `+${identity.waId}` : null,
      createdAt: now,
      updatedAt: now,
    })
    // Two first messages from a new customer at once: the second waits, then finds the first's row.
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [raced] = await find();
  if (!raced) throw new Error("contact vanished after a conflicting insert");
  return raced;
}

/**
 * The customer's conversation that is not resolved, or a new one (one per contact per inbox).
 * `lookedUp`: the caller found none already, so the insert comes first (a conflict finds it).
 */
async function openConversation(
  tx: Transaction,
  inboxId: string,
  contactId: string,
  sentAt: Date,
  now: Date,
  { lookedUp = false }: { lookedUp?: boolean } = {},
): Promise<Conversation> {
  const find = () =>
    tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.inboxId, inboxId),
          eq(conversations.contactId, contactId),
          ne(conversations.status, "resolved"),
        ),
      )
      .limit(1);
  if (!lookedUp) {
    const [found] = await find();
    if (found) return found;
  }
  const [inserted] = await tx
    .insert(conversations)
    .values({ inboxId, contactId, status: "open", lastMessageAt: sentAt, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [raced] = await find();
  if (!raced) throw new Error("conversation vanished after a conflicting insert");
  return raced;
}

/**
 * Conversation bookkeeping for one stored customer message, applied only once message `messageId`
 * exists; late arrivals never move things back. Returns the statement, for the caller to send.
 */
function touchConversation(
  tx: Transaction,
  conversationId: string,
  messageId: string,
  planned: PlannedMessage,
  sentAt: Date,
  now: Date,
) {
  const at = sql`${sentAt.toISOString()}::timestamptz`;
  const common = {
    lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at})`,
    lastMessagePreview: sql`case when ${at} >= ${conversations.lastMessageAt} then ${planned.preview} else ${conversations.lastMessagePreview} end`,
    updatedAt: now,
  };
  return tx
    .update(conversations)
    .set(
      planned.fromCustomer
        ? {
            ...common,
            lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${at})`,
            windowExpiresAt: sql`greatest(${conversations.windowExpiresAt}, ${new Date(sentAt.getTime() + WINDOW_MS).toISOString()}::timestamptz)`,
            // Waiting since the earliest customer message the business has not answered yet.
            waitingSince: sql`case when ${conversations.lastOutboundAt} is null or ${conversations.lastOutboundAt} < ${at} then least(${conversations.waitingSince}, ${at}) else ${conversations.waitingSince} end`,
            unreadCount: sql`${conversations.unreadCount} + 1`,
            // The customer answered: a conversation parked as pending needs attention again.
            status: sql`case when ${conversations.status} = 'pending' then 'open' else ${conversations.status} end`,
          }
        : common,
    )
    .where(and(eq(conversations.id, conversationId), afterInsertOf(tx, messages, messages.id, messageId)))
    .returning();
}

/** user_changed_number: later messages come from the new number, so the contact follows it. */
async function changeContactNumber(tx: Transaction, contact: Contact, newWaId: string, now: Date) {
  const other = alias(contacts, "other_contact");
  await tx
    .update(contacts)
    .set({ waId: newWaId, phone: /^\d+$/.test(newWaId) ? `+${newWaId}` : contact.phone, updatedAt: now })
    .where(
      and(
        eq(contacts.id, contact.id),
        notExists(
          tx
            .select({ id: other.id })
            .from(other)
            .where(and(eq(other.inboxId, contact.inboxId), eq(other.waId, newWaId))),
        ),
      ),
    );
}

const templateEvents: Record<string, TemplateStatus> = {
  APPROVED: "approved",
  REINSTATED: "approved",
  FLAGGED: "approved",
  PENDING: "pending",
  IN_APPEAL: "pending",
  REJECTED: "rejected",
  PAUSED: "paused",
  DISABLED: "disabled",
  PENDING_DELETION: "disabled",
  DELETED: "disabled",
  ARCHIVED: "disabled",
};

/** Meta reviewed a template: its status follows, for the inboxes of that business account. */
async function applyTemplateUpdate(
  tx: Transaction,
  update: PlannedTemplateUpdate,
  now: Date,
  notes: string[],
) {
  const status = templateEvents[update.event.toUpperCase()];
  if (!status) {
    notes.push(`Template ${update.name} (${update.language}): event ${update.event} not tracked.`);
    return;
  }
  const changed = await tx
    .update(templates)
    .set({ status, updatedAt: now })
    .where(
      and(
        eq(templates.name, update.name),
        eq(templates.language, update.language),
        inArray(
          templates.inboxId,
          tx
            .select({ id: inboxes.id })
            .from(inboxes)
            .where(update.wabaId ? eq(inboxes.wabaId, update.wabaId) : sql`false`),
        ),
      ),
    )
    .returning({ id: templates.id });
  notes.push(`Template ${update.name} (${update.language}) is now ${status} in ${changed.length} inbox(es).`);
}
