// The floor for Parley's webhook figures: a bare node:http server that verifies the same
// X-Hub-Signature-256 and does one INSERT … ON CONFLICT DO NOTHING into a table shaped like
// webhook_events, then (for the webhook-to-screen figure) emits one Socket.IO event to everyone.
// Usage: FLOOR_PORT=… FLOOR_APP_SECRET=… (FLOOR_DATABASE_URL=postgres://… | FLOOR_PGLITE_DIR=…) node bench/floor-server.mjs
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.FLOOR_PORT);
const secret = process.env.FLOOR_APP_SECRET ?? "";

const ddl = `create table if not exists floor_events (
  id bigserial primary key,
  body_sha256 text not null unique,
  body jsonb not null,
  received_at timestamptz not null default now()
)`;
const insertSql =
  "insert into floor_events (body_sha256, body) values ($1, $2::jsonb) on conflict (body_sha256) do nothing";

let insert;
if (process.env.FLOOR_DATABASE_URL) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(process.env.FLOOR_DATABASE_URL, { max: 10, onnotice: () => {} });
  await sql.unsafe(ddl);
  insert = (sha, body) => sql.unsafe(insertSql, [sha, body]);
} else {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(process.env.FLOOR_PGLITE_DIR);
  await db.exec(ddl);
  insert = (sha, body) => db.query(insertSql, [sha, body]);
}

function validSignature(raw, header) {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(raw).digest("hex"));
  const given = Buffer.from(header.slice(7));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((request, response) => {
  if (request.method === "GET") {
    response.writeHead(200).end("ok");
    return;
  }
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const raw = Buffer.concat(chunks);
    if (!validSignature(raw, request.headers["x-hub-signature-256"])) {
      response.writeHead(401).end();
      return;
    }
    const text = raw.toString("utf8");
    insert(createHash("sha256").update(raw).digest("hex"), text).then(
      () => {
        response.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
        const wamid = /"id":"(wamid[^"]+)"/.exec(text)?.[1];
        io.emit("message.created", { wamid });
      },
      () => response.writeHead(500).end(),
    );
  });
});
const io = new Server(server, { path: "/socket.io" });
server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
