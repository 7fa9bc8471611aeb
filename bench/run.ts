/**
 * `npm run bench`: Parley's figures, each beside its floor measured in the same run on the same
 * machine, written to bench/results/latest.json and printed as a table. See bench/README.md.
 *
 *   npm run bench                 every benchmark at full size
 *   npm run bench -- --quick      smaller runs (a smoke test of the harness)
 *   npm run bench -- --only ingest,screen,scale,memory,browser
 *   npm run bench -- --only screen --agents 500   the screen figure at some of its sizes
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { io as connect, type Socket } from "socket.io-client";
import { encodeSessionToken } from "@/lib/auth/session-token";
import { unbatch } from "@/lib/client/socket";
import * as schema from "@/lib/db/schema";
import type { Database } from "@/lib/db";
import { listConversations, listMessages } from "@/lib/domain/conversations";
import { updateBusinessHours } from "@/lib/domain/sla/settings";
import { createUser } from "@/lib/domain/users";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { ensureProductionBuild } from "../scripts/ensure-build.mjs";
import {
  APP_SECRET,
  SUPPORT_NUMBER,
  freePort,
  freshDatabase,
  openHandle,
  startParley,
  textMessageBody,
  type Parley,
} from "../tests/faults/support";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? "").split(",")) : undefined;
const wanted = (name: string) => !only || only.has(name);
const agentsIndex = args.indexOf("--agents");
const agentCounts = agentsIndex >= 0 ? (args[agentsIndex + 1] ?? "").split(",").map(Number) : undefined;

// The bench process mints sessions for the servers it starts: the same secrets on both sides.
process.env.AUTH_SECRET ??= "bench-only-auth-secret-0123456789abcdef0123456789";
process.env.PARLEY_ENCRYPTION_KEY ??= "bench-only-encryption-key-0123456789abcdef01234567";
process.env.LOG_LEVEL ??= "error";

type Figures = Record<string, unknown>;
const results: Record<string, Figures> = {};
const load = () => loadavg().map((value) => Number(value.toFixed(2)));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Number(
    (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1),
  );
}

// ---------------------------------------------------------------------------------------------
// A keep-alive load generator: `concurrency` requests in flight until `bodies` are all sent.

interface Blast {
  acked: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function blast(url: string, bodies: string[], concurrency: number): Promise<Blast> {
  const target = new URL(`${url}/api/webhooks/whatsapp`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let acked = 0;
  let failed = 0;
  let next = 0;
  const post = (body: string) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-hub-signature-256": signWebhookBody(body, APP_SECRET),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const sent = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - sent);
        if (status === 200) acked += 1;
        else failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    acked,
    failed,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(acked / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** `count` text messages from 500 customers (numbered from `firstCustomer`), each wamid new. */
function messageBodies(count: number, prefix: string, firstCustomer = 0): string[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, index) =>
    textMessageBody({
      wamid: `wamid.bench.${prefix}.${index}`,
      from: `4479500${String(firstCustomer + (index % 500)).padStart(5, "0")}`,
      text: `Hello, I have a question about order ${index}`,
      timestamp,
    }),
  );
}

interface Floor {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startFloor(target: { databaseUrl?: string; pgliteDir?: string }): Promise<Floor> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bench/floor-server.mjs"], {
    env: {
      ...process.env,
      FLOOR_PORT: String(port),
      FLOOR_APP_SECRET: APP_SECRET,
      ...(target.databaseUrl ? { FLOOR_DATABASE_URL: target.databaseUrl } : {}),
      ...(target.pgliteDir ? { FLOOR_PGLITE_DIR: target.pgliteDir } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Waits until `count` messages with wamids like `pattern` are stored; their rate since `started`. */
async function timeToProcess(url: string, pattern: string, count: number, started: number) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (;;) {
      const [row] = await sql<
        { n: number }[]
      >`select count(*)::int as n from messages where wamid like ${pattern}`;
      if ((row?.n ?? 0) >= count || performance.now() - started > 600_000) {
        const seconds = (performance.now() - started) / 1000;
        return {
          messages: row?.n ?? 0,
          seconds: Number(seconds.toFixed(2)),
          perSecond: Math.round((row?.n ?? 0) / seconds),
        };
      }
      await sleep(100);
    }
  } finally {
    await sql.end();
  }
}

function rssKb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** A process's CPU time so far, user and system, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/**
 * The CPU time of every PostgreSQL process on this machine so far, in ms (Linux /proc). The bench
 * is the machine's only user of its PostgreSQL while it measures, so the difference over a run is
 * what the server under test made the database do.
 */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/comm`, "utf8").startsWith("postgres")) continue;
      const { user, system } = cpuMs(Number(entry));
      total += user + system;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// 1. Webhook ingest, on PostgreSQL and on PGlite.

async function benchIngest() {
  const count = quick ? 600 : 4_000;
  const concurrency = 32;
  const figures: Figures = { messages: count, concurrency, loadBefore: load() };

  for (const driver of ["postgres", "pglite"] as const) {
    const database = driver === "postgres" ? await freshDatabase() : undefined;
    const floorDatabase = driver === "postgres" ? await freshDatabase() : undefined;
    const pgliteDir = mkdtempSync(path.join(tmpdir(), "parley-bench-floor-"));
    const parley = await startParley({ databaseUrl: database?.url, port: await freePort() });
    const floor = await startFloor(
      floorDatabase ? { databaseUrl: floorDatabase.url } : { pgliteDir: path.join(pgliteDir, "db") },
    );
    try {
      // A short warm-up on each, so neither pays for cold code paths in the figure.
      await blast(parley.url, messageBodies(100, `${driver}-warm`), 8);
      await blast(floor.url, messageBodies(100, `${driver}-warm`), 8);
      const floorRun = await blast(floor.url, messageBodies(count, `${driver}-floor`), concurrency);
      const started = performance.now();
      const parleyRun = await blast(parley.url, messageBodies(count, `${driver}-parley`), concurrency);
      // Acknowledged means stored; the messages are derived right after by the webhook queue.
      // On PostgreSQL, also time until the last one is in `messages` (PGlite's database is private
      // to the server process).
      const processed = database
        ? await timeToProcess(database.url, `wamid.bench.${driver}-parley.%`, count, started)
        : undefined;
      figures[driver] = {
        parley: parleyRun,
        ...(processed ? { processed } : {}),
        floor: floorRun,
        ratio: Number((parleyRun.perSecond / floorRun.perSecond).toFixed(3)),
        rssAfterIngestKb: rssKb(parley.child.pid),
        load: load(),
      };
    } finally {
      await parley.stop();
      await floor.stop();
      await database?.drop();
      await floorDatabase?.drop();
      rmSync(pgliteDir, { recursive: true, force: true });
    }
  }
  figures.loadAfter = load();
  results.ingest = figures;
}

// ---------------------------------------------------------------------------------------------
// 2. Webhook to screen: N agent sockets in one inbox, webhooks at 100/s.

async function agents(db: Database, inboxId: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { user } = await createUser({
      ctx: { db, actor: { kind: "system", reason: "bench" }, now: new Date() },
      input: {
        email: `bench-agent-${index}-${Date.now()}@example.test`,
        name: `Bench Agent ${index}`,
        role: "agent",
        inboxIds: [inboxId],
        password: `bench agent password ${index} long enough`,
      },
      withTwoFactor: true,
    });
    const token = await encodeSessionToken({ userId: user.id, sessionVersion: 1, twoFactor: true });
    cookies.push(`next-auth.session-token=${token}`);
  }
  return cookies;
}

async function connectAll(url: string, cookies: string[], sockets: number) {
  const clients: Socket[] = [];
  const arrivals: Map<string, number>[] = [];
  const duplicates = { count: 0 };
  for (let index = 0; index < sockets; index += 1) {
    const client = connect(url, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { cookie: cookies[index % cookies.length] as string },
      forceNew: true,
    });
    const seen = new Map<string, number>();
    unbatch(client);
    client.on("message.created", (payload: { wamid?: string }) => {
      const wamid = payload.wamid ?? "";
      if (seen.has(wamid)) duplicates.count += 1;
      else seen.set(wamid, performance.now());
    });
    clients.push(client);
    arrivals.push(seen);
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("connect_error", reject);
    });
  }
  return { clients, arrivals, duplicates };
}

async function paced(url: string, bodies: string[], perSecond: number): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    bodies.map(async (body, index) => {
      const due = started + (index * 1000) / perSecond;
      await sleep(Math.max(0, due - performance.now()));
      const wamid = /"id":"(wamid[^"]+)"/.exec(body)?.[1] ?? "";
      sentAt.set(wamid, performance.now());
      await blast(url, [body], 1);
    }),
  );
  return sentAt;
}

/**
 * Opens the inbox around the clock, so the screen figures do not depend on the hour the bench
 * runs: out of hours, each new conversation also gets the off-hours notice, which is sent and then
 * reported sent, delivered and read by three more webhooks.
 */
async function openAllWeek(db: Database, inboxId: string) {
  const allDay = [{ start: "00:00", end: "24:00" }];
  await updateBusinessHours({
    ctx: { db, actor: { kind: "system", reason: "bench" }, now: new Date() },
    input: {
      inboxId,
      calendar: {
        timeZone: "UTC",
        weeklyHours: {
          monday: allDay,
          tuesday: allDay,
          wednesday: allDay,
          thursday: allDay,
          friday: allDay,
          saturday: allDay,
          sunday: allDay,
        },
        holidays: [],
      },
    },
  });
}

/** Latency from each POST to each socket's event, and the deliveries that never arrived. */
function arrivalsOf(sentAt: Map<string, number>, arrivals: Map<string, number>[]) {
  const latencies: number[] = [];
  let lost = 0;
  for (const seen of arrivals) {
    for (const [wamid, sent] of sentAt) {
      const arrived = seen.get(wamid);
      if (arrived === undefined) lost += 1;
      else latencies.push(arrived - sent);
    }
  }
  return { latencies, lost };
}

/** Waits until no event has arrived for 2 s (at most 60 s): what has not arrived then is lost. */
async function settled(arrivals: Map<string, number>[]) {
  const count = () => arrivals.reduce((sum, seen) => sum + seen.size, 0);
  const deadline = performance.now() + 60_000;
  let last = -1;
  while (performance.now() < deadline) {
    const now = count();
    if (now === last) return;
    last = now;
    await sleep(2_000);
  }
}

/**
 * Each server first gets `WARM_UP_SECONDS` of the same traffic (its own wamids, from other
 * customers), reported on its own as `firstSeconds`: the figure is the server as it runs for
 * hours, with its code compiled by V8 and its statements prepared, and the cold start is shown
 * beside it rather than mixed into its p99.
 */
const WARM_UP_SECONDS = 3;

/**
 * Rounds of the measured run at 50 agents. This 2-core machine's speed drifts from minute to
 * minute, and Parley's server runs close to one core busy at 100 messages/s, where a little less
 * CPU makes a lot more delay: one round's p99 alone says more about the minute than about Parley.
 * The figure is the round with the median p99; every round is kept in the results.
 */
const SCREEN_ROUNDS = 3;

async function benchScreen() {
  const seconds = quick ? 3 : 10;
  const figures: Figures = {
    webhooksPerSecond: 100,
    seconds,
    warmUpSeconds: WARM_UP_SECONDS,
    loadBefore: load(),
  };
  for (const sockets of agentCounts ?? (quick ? [50] : [50, 500])) {
    const rounds = sockets === 50 && !quick ? SCREEN_ROUNDS : 1;
    const database = await freshDatabase();
    const parley = await startParley({ databaseUrl: database.url, port: await freePort() });
    const floorDatabase = await freshDatabase();
    const floor = await startFloor({ databaseUrl: floorDatabase.url });
    const handle = await openHandle(database.url);
    try {
      const [support] = await handle.db
        .select()
        .from(schema.inboxes)
        .where(eq(schema.inboxes.phoneNumberId, SUPPORT_NUMBER));
      if (!support) throw new Error("no Support inbox");
      const cookies = await agents(handle.db, support.id, 50);
      await openAllWeek(handle.db, support.id);
      const row: Figures = {};
      for (const [name, url, pid] of [
        ["floor", floor.url, floor.child.pid],
        ["parley", parley.url, parley.child.pid],
      ] as const) {
        const { clients, arrivals, duplicates } = await connectAll(url, cookies, sockets);
        const warmUpSent = await paced(
          url,
          messageBodies(100 * WARM_UP_SECONDS, `screen-${sockets}-${name}-warm-up`, 500),
          100,
        );
        await settled(arrivals);
        const warmUp = arrivalsOf(warmUpSent, arrivals);
        const measured: { p50: number; p99: number; lost: number; messages: number }[] = [];
        const cpuBefore = cpuMs(pid);
        const postgresCpuBefore = postgresCpuMs();
        const clientCpuBefore = process.cpuUsage();
        for (let round = 0; round < rounds; round += 1) {
          // Each round its own 500 customers: new in its first half, writing again in its second.
          const bodies = messageBodies(
            100 * seconds,
            `screen-${sockets}-${name}-${round}`,
            1000 * (round + 1),
          );
          const sentAt = await paced(url, bodies, 100);
          await settled(arrivals);
          const { latencies, lost } = arrivalsOf(sentAt, arrivals);
          measured.push({
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            lost,
            messages: sentAt.size,
          });
        }
        const cpuAfter = cpuMs(pid);
        const postgresCpu = postgresCpuMs() - postgresCpuBefore;
        const clientCpu = process.cpuUsage(clientCpuBefore);
        const messages = measured.reduce((sum, round) => sum + round.messages, 0);
        const median = [...measured].sort((a, b) => a.p99 - b.p99)[Math.floor(measured.length / 2)];
        row[name] = {
          deliveries: messages * sockets,
          p50: median?.p50,
          p99: median?.p99,
          lost: measured.reduce((sum, round) => sum + round.lost, 0),
          duplicated: duplicates.count,
          rounds: measured.map(({ p50, p99 }) => ({ p50, p99 })),
          firstSeconds: {
            p50: percentile(warmUp.latencies, 50),
            p99: percentile(warmUp.latencies, 99),
            lost: warmUp.lost,
          },
          rssKb: rssKb(pid),
          // The server's own CPU time from the first POST until the events stopped arriving.
          cpuMsPerMessage: {
            user: Number(((cpuAfter.user - cpuBefore.user) / messages).toFixed(2)),
            system: Number(((cpuAfter.system - cpuBefore.system) / messages).toFixed(2)),
          },
          // The bench's own CPU (every client socket, and the sender) over the same time: on this
          // 2-core machine it competes with the server, and its parsing grows with the payload.
          benchCpuMsPerMessage: Number(((clientCpu.user + clientCpu.system) / 1000 / messages).toFixed(2)),
          // PostgreSQL's CPU over the same time: the server's statements cost the machine there too.
          databaseCpuMsPerMessage: Number((postgresCpu / messages).toFixed(2)),
        };
        for (const client of clients) client.disconnect();
      }
      figures[`${sockets} agents`] = row;
    } finally {
      await handle.close();
      await parley.stop();
      await floor.stop();
      await database.drop();
      await floorDatabase.drop();
    }
  }
  figures.loadAfter = load();
  results.screen = figures;
}

// ---------------------------------------------------------------------------------------------
// 3. The conversation list and a thread at scale, through /api/v1, and SQL per page.

async function seedScale(
  url: string,
  inboxId: string,
  conversations: number,
  perConversation: number,
  deep: number,
) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`insert into contacts (inbox_id, wa_id, profile_name, phone)
    select ${inboxId}, '4470' || lpad(g::text, 8, '0'), 'Customer ' || g, '+4470' || lpad(g::text, 8, '0')
    from generate_series(1, ${conversations}) g`;
  await sql`insert into conversations (inbox_id, contact_id, status, last_message_at, last_message_preview, waiting_since, last_inbound_at, unread_count)
    select c.inbox_id, c.id, 'open', now() - (row_number() over ()) * interval '1 minute', 'Question about my order',
           now() - (row_number() over ()) * interval '1 minute', now() - (row_number() over ()) * interval '1 minute', 1
    from contacts c where c.inbox_id = ${inboxId} and c.wa_id like '4470%'`;
  await sql`insert into messages (conversation_id, inbox_id, direction, author_kind, type, body, wamid, status, created_at)
    select v.id, v.inbox_id, case when m % 2 = 0 then 'inbound' else 'outbound' end,
           case when m % 2 = 0 then 'contact' else 'agent' end, 'text',
           'Message ' || m || ' about order ' || v.n, 'wamid.scale.' || v.n || '.' || m,
           case when m % 2 = 0 then 'received' else 'read' end,
           now() - interval '1 day' + m * interval '1 second'
    from (select id, inbox_id, row_number() over () as n from conversations where inbox_id = ${inboxId}) v,
         generate_series(1, ${perConversation}) m`;
  const [deepConversation] = await sql<
    { id: string }[]
  >`select id from conversations where inbox_id = ${inboxId} order by last_message_at desc limit 1`;
  await sql`insert into messages (conversation_id, inbox_id, direction, author_kind, type, body, wamid, status, created_at)
    select ${deepConversation?.id ?? ""}, ${inboxId}, 'inbound', 'contact', 'text', 'Long thread message ' || m,
           'wamid.deep.' || m, 'received', now() - interval '30 days' + m * interval '1 second'
    from generate_series(1, ${deep}) m`;
  await sql`analyze`;
  const [{ count } = { count: 0 }] = await sql<
    { count: number }[]
  >`select count(*)::int as count from messages`;
  await sql.end();
  return { deepConversationId: deepConversation?.id ?? "", messages: count };
}

async function timed(
  url: string,
  cookie: string,
  runs: number,
): Promise<{ p50: number; p95: number; body: unknown }> {
  const latencies: number[] = [];
  let body: unknown;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    body = await response.json();
    if (response.status !== 200)
      throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
    latencies.push(performance.now() - started);
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), body };
}

async function benchScale() {
  const conversations = quick ? 5_000 : 100_000;
  const perConversation = 10;
  const deep = quick ? 1_000 : 10_000;
  const runs = quick ? 10 : 40;
  const database = await freshDatabase();
  const parley = await startParley({ databaseUrl: database.url, port: await freePort() });
  const handle = await openHandle(database.url);
  try {
    const [support] = await handle.db
      .select()
      .from(schema.inboxes)
      .where(eq(schema.inboxes.phoneNumberId, SUPPORT_NUMBER));
    if (!support) throw new Error("no Support inbox");
    const seeded = await seedScale(database.url, support.id, conversations, perConversation, deep);
    const [cookie] = await agents(handle.db, support.id, 1);
    const base = `${parley.url}/api/v1`;
    const first = await timed(`${base}/conversations?view=all&status=open&limit=25`, cookie as string, runs);
    // A deep page: follow the cursor 40 pages in, then time that page.
    let cursor = (first.body as { nextCursor: string | null }).nextCursor;
    for (let page = 0; page < 40 && cursor; page += 1) {
      const response = await fetch(
        `${base}/conversations?view=all&status=open&limit=25&cursor=${encodeURIComponent(cursor)}`,
        {
          headers: { cookie: cookie as string },
        },
      );
      cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
    }
    const deepList = await timed(
      `${base}/conversations?view=all&status=open&limit=25&cursor=${encodeURIComponent(cursor ?? "")}`,
      cookie as string,
      runs,
    );
    const search = await timed(
      `${base}/conversations?view=all&status=open&limit=25&q=${encodeURIComponent("Customer 4242")}`,
      cookie as string,
      runs,
    );
    const thread = `${base}/conversations/${seeded.deepConversationId}/messages`;
    const latest = await timed(`${thread}?limit=50`, cookie as string, runs);
    let before = (latest.body as { previousCursor: string | null }).previousCursor;
    // Halfway back through the long thread.
    for (let page = 0; page < Math.floor(deep / 100) && before; page += 1) {
      const response = await fetch(`${thread}?limit=50&before=${encodeURIComponent(before)}`, {
        headers: { cookie: cookie as string },
      });
      before = ((await response.json()) as { previousCursor: string | null }).previousCursor;
    }
    const deepThread = await timed(
      `${thread}?limit=50&before=${encodeURIComponent(before ?? "")}`,
      cookie as string,
      runs,
    );

    // SQL statements per page, counted by the driver while the real verbs run.
    let statements = 0;
    const counting = postgres(database.url, { max: 2, onnotice: () => {}, debug: () => (statements += 1) });
    const db = drizzle(counting, { schema }) as unknown as Database;
    const [admin] = await handle.db
      .select()
      .from(schema.users)
      .where(eq(schema.users.role, "admin"))
      .limit(1);
    const ctx = {
      db,
      actor: {
        kind: "user" as const,
        userId: admin?.id ?? "",
        role: "admin" as const,
        name: "Bench",
        via: "session" as const,
      },
      now: new Date(),
    };
    const countFor = async (work: () => Promise<unknown>) => {
      statements = 0;
      await work();
      return statements;
    };
    // Warm once, so a first call's one-off lookups are not counted against either page size.
    await listConversations({ ctx, input: { view: "all", status: "open", limit: 25 } });
    await listMessages({ ctx, input: { conversationId: seeded.deepConversationId, limit: 25 } });
    const sqlPerPage = {
      list25: await countFor(() =>
        listConversations({ ctx, input: { view: "all", status: "open", limit: 25 } }),
      ),
      list100: await countFor(() =>
        listConversations({ ctx, input: { view: "all", status: "open", limit: 100 } }),
      ),
      messages25: await countFor(() =>
        listMessages({ ctx, input: { conversationId: seeded.deepConversationId, limit: 25 } }),
      ),
      messages100: await countFor(() =>
        listMessages({ ctx, input: { conversationId: seeded.deepConversationId, limit: 100 } }),
      ),
    };
    await counting.end();

    const strip = ({ p50, p95 }: { p50: number; p95: number }) => ({ p50, p95 });
    results.scale = {
      conversations,
      messages: seeded.messages,
      runsEach: runs,
      listFirstPage: strip(first),
      listDeepPage: strip(deepList),
      listSearch: strip(search),
      threadLatest: strip(latest),
      threadDeep: strip(deepThread),
      sqlPerPage,
      load: load(),
    };
  } finally {
    await handle.close();
    await parley.stop();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Memory: RSS idle, with 1,000 sockets, per socket.

async function benchMemory() {
  const sockets = quick ? 200 : 1_000;
  const steps = 4;
  const database = await freshDatabase();
  const probeDir = mkdtempSync(path.join(tmpdir(), "parley-bench-memory-"));
  const probeFile = path.join(probeDir, "memory.json");
  // The server collects its garbage fully before each reading (bench/gc-probe.mjs).
  const parley: Parley = await startParley({
    databaseUrl: database.url,
    port: await freePort(),
    env: {
      NODE_OPTIONS: `--expose-gc --import ${path.resolve("bench/gc-probe.mjs")}`,
      BENCH_MEMORY_FILE: probeFile,
    },
  });
  const handle = await openHandle(database.url);
  const clients: Socket[] = [];
  interface Reading {
    sockets: number;
    rssKb: number;
    heapUsedKb: number;
    externalKb: number;
  }
  const read = async (count: number): Promise<Reading> => {
    // Let the last handshakes' work finish, then collect and read.
    await sleep(2_000);
    rmSync(probeFile, { force: true });
    process.kill(parley.child.pid as number, "SIGUSR2");
    for (let waited = 0; ; waited += 50) {
      try {
        const usage = JSON.parse(readFileSync(probeFile, "utf8")) as NodeJS.MemoryUsage;
        return {
          sockets: count,
          rssKb: Math.round(usage.rss / 1024),
          heapUsedKb: Math.round(usage.heapUsed / 1024),
          externalKb: Math.round(usage.external / 1024),
        };
      } catch (error) {
        if (waited > 10_000) throw error;
        await sleep(50);
      }
    }
  };
  try {
    const [support] = await handle.db
      .select()
      .from(schema.inboxes)
      .where(eq(schema.inboxes.phoneNumberId, SUPPORT_NUMBER));
    if (!support) throw new Error("no Support inbox");
    const cookies = await agents(handle.db, support.id, 20);
    // A first round of sockets, connected and closed, so the baseline is not the start-up heap
    // that the first connections' allocations would collect. Then sockets are added in steps,
    // each reading taken after a full collection; the figure per socket is the slope of the
    // least-squares line through (sockets, memory).
    const warmUp = await connectAll(parley.url, cookies, sockets / steps);
    for (const client of warmUp.clients) client.disconnect();
    const readings: Reading[] = [await read(0)];
    for (let step = 1; step <= steps; step += 1) {
      const { clients: added } = await connectAll(parley.url, cookies, sockets / steps);
      clients.push(...added);
      readings.push(await read(clients.length));
    }
    const slope = (y: (reading: Reading) => number) => {
      const n = readings.length;
      const meanX = readings.reduce((sum, reading) => sum + reading.sockets, 0) / n;
      const meanY = readings.reduce((sum, reading) => sum + y(reading), 0) / n;
      return Number(
        (
          readings.reduce((sum, reading) => sum + (reading.sockets - meanX) * (y(reading) - meanY), 0) /
          readings.reduce((sum, reading) => sum + (reading.sockets - meanX) ** 2, 0)
        ).toFixed(1),
      );
    };
    results.memory = {
      sockets,
      idleRssMb: Math.round((readings[0]?.rssKb ?? NaN) / 1024),
      connectedRssMb: Math.round((readings.at(-1)?.rssKb ?? NaN) / 1024),
      readings,
      perSocketKb: slope((reading) => reading.rssKb),
      perSocketHeapKb: slope((reading) => reading.heapUsedKb + reading.externalKb),
      load: load(),
    };
  } finally {
    for (const client of clients) client.disconnect();
    await handle.close();
    await parley.stop();
    await database.drop();
    rmSync(probeDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 5. The browser: JavaScript the inbox route ships (gzip) and time to a usable inbox in Chromium.

async function benchBrowser() {
  const runs = quick ? 2 : 5;
  const database = await freshDatabase();
  const parley = await startParley({ databaseUrl: database.url, port: await freePort() });
  const handle = await openHandle(database.url);
  try {
    const [support] = await handle.db
      .select()
      .from(schema.inboxes)
      .where(eq(schema.inboxes.phoneNumberId, SUPPORT_NUMBER));
    if (!support) throw new Error("no Support inbox");
    const [cookie] = await agents(handle.db, support.id, 1);
    if (!cookie) throw new Error("no agent session");

    // Every script the inbox page loads, as the browser would get it, gzipped.
    const html = await (await fetch(`${parley.url}/`, { headers: { cookie } })).text();
    const scripts = [
      ...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((match) => match[1]!)),
    ];
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const src of scripts) {
      const bytes = Buffer.from(await (await fetch(new URL(src, parley.url))).arrayBuffer());
      rawBytes += bytes.byteLength;
      gzipBytes += gzipSync(bytes, { level: 9 }).byteLength;
    }

    // Navigation start to the first conversation shown in the list, in a fresh context each time.
    const { chromium } = await import("@playwright/test");
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
    const usable: number[] = [];
    try {
      const [name, value] = cookie.split("=") as [string, string];
      for (let run = 0; run < runs + 1; run += 1) {
        const context = await browser.newContext();
        await context.addCookies([{ name, value, url: parley.url }]);
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${parley.url}/`);
        await page
          .getByRole("listbox", { name: "Conversations" })
          .getByRole("option")
          .first()
          .waitFor({ timeout: 60_000 });
        // The first run warms the server's caches; it is not counted.
        if (run > 0) usable.push(performance.now() - started);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    results.browser = {
      inboxScripts: scripts.length,
      inboxJsKb: Math.round(rawBytes / 1024),
      inboxJsGzipKb: Math.round(gzipBytes / 1024),
      runs,
      usableInboxMs: { p50: percentile(usable, 50), max: percentile(usable, 100) },
      load: load(),
    };
  } finally {
    await handle.close();
    await parley.stop();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------

const benches: [string, () => Promise<void>][] = [
  ["ingest", benchIngest],
  ["screen", benchScreen],
  ["scale", benchScale],
  ["memory", benchMemory],
  ["browser", benchBrowser],
];

// Reuse the production build (as the e2e and fault suites do).
ensureProductionBuild(process.cwd());

for (const [name, run] of benches) {
  if (!wanted(name)) continue;
  process.stdout.write(`\n▶ ${name}…\n`);
  const started = performance.now();
  await run();
  process.stdout.write(
    `${JSON.stringify(results[name], null, 2)}\n(${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// The readable table: every figure beside its floor (or target) and the load around it.

function table(): string {
  const rows: string[][] = [["figure", "parley", "floor / target", "ratio", "load (1/5/15 min)"]];
  const num = (value: unknown) => (typeof value === "number" ? value.toLocaleString("en-US") : String(value));
  const ingest = results.ingest as
    | Record<
        string,
        {
          parley: Blast;
          floor: Blast;
          ratio: number;
          load?: number[];
          processed?: { perSecond: number; seconds: number };
        }
      >
    | undefined;
  for (const [driver, row] of Object.entries(ingest ?? {})) {
    if (!row || typeof row !== "object" || !("parley" in row)) continue;
    const when = (row.load ?? (ingest as unknown as Figures).loadAfter ?? []) as number[];
    rows.push([
      `ingest ${driver}: msg/s`,
      num(row.parley.perSecond),
      num(row.floor.perSecond),
      num(row.ratio),
      when.join(" "),
    ]);
    rows.push([
      `ingest ${driver}: p50/p99 ms`,
      `${row.parley.p50}/${row.parley.p99}`,
      `${row.floor.p50}/${row.floor.p99}`,
      "",
      "",
    ]);
    if (row.processed) {
      rows.push([
        `ingest ${driver}: all messages stored, msg/s (s)`,
        `${num(row.processed.perSecond)} (${row.processed.seconds})`,
        "",
        "",
        "",
      ]);
    }
  }
  type ScreenFigures = Record<
    "floor" | "parley",
    Record<string, number> & {
      firstSeconds: Record<string, number>;
      cpuMsPerMessage: Record<string, number>;
      rounds?: { p50: number; p99: number }[];
    }
  >;
  const screen = results.screen as Record<string, Partial<ScreenFigures>> | undefined;
  for (const [name, row] of Object.entries(screen ?? {})) {
    const parley = row.parley;
    const floor = row.floor;
    if (!parley || !floor) continue;
    rows.push([
      `screen ${name}: p50/p99 ms`,
      `${parley.p50}/${parley.p99}`,
      `${floor.p50}/${floor.p99}`,
      num(Number(((parley.p99 ?? 0) / (floor.p99 || 1)).toFixed(2))),
      "",
    ]);
    rows.push([
      `screen ${name}: lost/dup`,
      `${parley.lost}/${parley.duplicated}`,
      `${floor.lost}/${floor.duplicated}`,
      "",
      "",
    ]);
    if ((parley.rounds?.length ?? 0) > 1) {
      const each = (rounds: { p99: number }[] | undefined) => (rounds ?? []).map((r) => r.p99).join(" / ");
      rows.push([`screen ${name}: p99 of each round`, each(parley.rounds), each(floor.rounds), "", ""]);
    }
    rows.push([
      `screen ${name}: first ${WARM_UP_SECONDS} s p50/p99`,
      `${parley.firstSeconds.p50}/${parley.firstSeconds.p99}`,
      `${floor.firstSeconds.p50}/${floor.firstSeconds.p99}`,
      "",
      "",
    ]);
    const cpu = (figures: { user?: number; system?: number }) =>
      Number(((figures.user ?? 0) + (figures.system ?? 0)).toFixed(2));
    rows.push([
      `screen ${name}: server CPU ms/message`,
      String(cpu(parley.cpuMsPerMessage)),
      String(cpu(floor.cpuMsPerMessage)),
      num(Number((cpu(parley.cpuMsPerMessage) / (cpu(floor.cpuMsPerMessage) || 1)).toFixed(2))),
      "",
    ]);
    rows.push([
      `screen ${name}: PostgreSQL CPU ms/message`,
      String(parley.databaseCpuMsPerMessage),
      String(floor.databaseCpuMsPerMessage),
      num(Number(((parley.databaseCpuMsPerMessage ?? 0) / (floor.databaseCpuMsPerMessage || 1)).toFixed(2))),
      "",
    ]);
    rows.push([
      `screen ${name}: bench clients' CPU ms/message`,
      String(parley.benchCpuMsPerMessage),
      String(floor.benchCpuMsPerMessage),
      "",
      "",
    ]);
  }
  const scale = results.scale;
  if (scale) {
    for (const [name, value] of Object.entries(scale)) {
      if (value && typeof value === "object" && "p95" in value) {
        const { p50, p95 } = value as { p50: number; p95: number };
        rows.push([
          `scale ${name}: p50/p95 ms`,
          `${p50}/${p95}`,
          "p95 ≤ 50",
          "",
          ((scale.load as number[] | undefined) ?? []).join(" "),
        ]);
      }
    }
    rows.push(["scale SQL per page 25/100", JSON.stringify(scale.sqlPerPage), "equal", "", ""]);
  }
  const memory = results.memory as
    | {
        sockets: number;
        idleRssMb: number;
        connectedRssMb: number;
        perSocketKb: number;
        perSocketHeapKb: number;
        load: number[];
      }
    | undefined;
  if (memory) {
    rows.push([
      "memory idle / connected MB",
      `${memory.idleRssMb} / ${memory.connectedRssMb}`,
      "",
      "",
      memory.load.join(" "),
    ]);
    rows.push([`memory KB per socket (${memory.sockets}), RSS`, num(memory.perSocketKb), "≤ 50", "", ""]);
    rows.push([`memory KB per socket, JS heap + external`, num(memory.perSocketHeapKb), "≤ 50", "", ""]);
  }
  const browser = results.browser;
  if (browser) {
    const usable = browser.usableInboxMs as { p50: number; max: number };
    rows.push([
      "browser inbox JS gzip KB",
      num(browser.inboxJsGzipKb),
      "",
      "",
      (browser.load as number[]).join(" "),
    ]);
    rows.push(["browser usable inbox ms p50/max", `${usable.p50}/${usable.max}`, "", "", ""]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")).join("\n");
}

process.stdout.write(`\n${table()}\n`);

mkdirSync("bench/results", { recursive: true });
const output = { at: new Date().toISOString(), quick, node: process.version, cpus: 2, results };
writeFileSync(`bench/results/${quick ? "quick" : "latest"}.json`, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`\nWritten to bench/results/${quick ? "quick" : "latest"}.json\n`);
process.exit(0);
