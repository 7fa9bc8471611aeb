import { createHash, timingSafeEqual } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/lib/db";
import {
  inboxes,
  simulatorMedia,
  simulatorMessages,
  templates,
  type SimulatorMessage,
} from "@/lib/db/schema";
import { renderTemplateBody } from "@/lib/domain/templates/render";
import { isPlainObject } from "../json-safety";
import { takeSimulatorFailure } from "./control";
import { newMediaId, newWamid } from "./payloads";
import { simulatorTemplateCatalog } from "./template-catalog";

/**
 * A stand-in for the Graph API, served by Parley itself under /api/simulator/graph: it accepts
 * sends like Meta (ids as wamid.…, the same response shape), answers media lookups and downloads,
 * records mark-as-read, and fails on request (see control.ts). The statuses that follow a send
 * (sent → delivered → read) are posted as signed webhooks by the simulator ticker.
 */

export interface StandInOptions {
  db: Database;
  now: () => Date;
  /** The bearer token the app's Graph client uses in simulator mode. */
  accessToken: string;
  /** This stand-in's public root (what WHATSAPP_API_BASE_URL points at), for media URLs. */
  baseUrl: string;
  /** How long "timeout" failures hang before answering (the client gives up first). */
  hangMs?: number;
}

/** Gap before the first status webhook ("sent"); later steps are spaced by the ticker. */
export const FIRST_STATUS_DELAY_MS = 400;

function graphError(status: number, code: number, message: string, details?: string): Response {
  return Response.json(
    {
      error: {
        message: `(#${code}) ${message}`,
        type: "OAuthException",
        code,
        ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
        fbtrace_id: `sim${Date.now().toString(36)}`,
      },
    },
    { status },
  );
}

const errorTitles: Record<number, string> = {
  4: "Application request limit reached",
  100: "Invalid parameter",
  190: "Access token has expired",
  368: "Temporarily blocked for policies violations",
  130429: "Rate limit hit",
  131000: "Something went wrong",
  131026: "Message undeliverable",
  131047: "Re-engagement message",
  131050: "User has chosen to stop receiving marketing messages",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
};

export function simulatedErrorTitle(code: number): string {
  return errorTitles[code] ?? "Simulated error";
}

/** HTTP status Meta uses for a Graph error code (throttling is 429-like; most are 400). */
function httpStatusFor(code: number): number {
  if (code === 190) return 401;
  if (code === 130429 || code === 131056 || code === 4 || code === 80007) return 429;
  if (code === 131000 || code === 1 || code === 2) return 500;
  return 400;
}

function bearerMatches(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const given = Buffer.from(header.replace(/^Bearer\s+/i, ""));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const sendSchema = z
  .object({
    messaging_product: z.literal("whatsapp"),
    to: z.string().min(1).optional(),
    recipient: z.string().min(1).optional(),
    type: z.enum([
      "text",
      "template",
      "image",
      "video",
      "audio",
      "document",
      "sticker",
      "location",
      "contacts",
      "interactive",
      "reaction",
    ]),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
    template: z
      .object({
        name: z.string().min(1),
        language: z.object({ code: z.string().min(1) }),
        components: z
          .array(
            z.object({
              type: z.string(),
              parameters: z
                .array(
                  z.object({
                    type: z.string(),
                    text: z.string().optional(),
                    parameter_name: z.string().optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    context: z.object({ message_id: z.string() }).optional(),
  })
  .loose()
  .refine((body) => body.to !== undefined || body.recipient !== undefined, {
    message: "to or recipient is required",
  })
  .refine((body) => body.type !== "text" || body.text !== undefined, {
    message: "text is required for type text",
  })
  .refine((body) => body.type !== "template" || body.template !== undefined, {
    message: "template is required for type template",
  });
type SendBody = z.infer<typeof sendSchema>;

const markReadSchema = z.object({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: z.string().min(1),
  typing_indicator: z.object({ type: z.string() }).optional(),
});

/** What the customer's phone shows for a business message. */
async function displayText(db: Database, phoneNumberId: string, body: SendBody): Promise<string | null> {
  if (body.type === "text") return body.text?.body ?? null;
  if (body.type === "template" && body.template) {
    const { name, language, components } = body.template;
    const parameters = (components ?? [])
      .filter((component) => component.type === "body")
      .flatMap((component) => component.parameters ?? []);
    const values: Record<string, string> = {};
    parameters.forEach((parameter, index) => {
      values[parameter.parameter_name ?? String(index + 1)] = parameter.text ?? "";
    });
    const [template] = await db
      .select({ body: templates.body })
      .from(templates)
      .innerJoin(inboxes, eq(inboxes.id, templates.inboxId))
      .where(
        and(
          eq(inboxes.phoneNumberId, phoneNumberId),
          eq(templates.name, name),
          eq(templates.language, language.code),
        ),
      )
      .limit(1);
    return template ? renderTemplateBody(template.body, values) : `[template ${name}]`;
  }
  const part = body[body.type];
  if (isPlainObject(part) && typeof part.caption === "string") return part.caption;
  return null;
}

function sendResponse(row: Pick<SimulatorMessage, "wamid" | "customer">, input: string): Response {
  const byUserId = !/^\+?\d+$/.test(input);
  return Response.json({
    messaging_product: "whatsapp",
    contacts: [byUserId ? { input, user_id: row.customer } : { input, wa_id: row.customer }],
    messages: [{ id: row.wamid, message_status: "accepted" }],
  });
}

async function handleSend(
  request: Request,
  phoneNumberId: string,
  raw: unknown,
  options: StandInOptions,
): Promise<Response> {
  const { db } = options;
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) {
    return graphError(
      400,
      100,
      "Invalid parameter",
      parsed.error.issues.map((issue) => issue.message).join("; "),
    );
  }
  const body = parsed.data;
  const input = body.to ?? body.recipient ?? "";
  const idempotencyKey = request.headers.get("idempotency-key")?.slice(0, 200) || null;

  // The same send again (a retry after a lost answer): answer as before, record nothing new.
  if (idempotencyKey) {
    const [earlier] = await db
      .select()
      .from(simulatorMessages)
      .where(eq(simulatorMessages.idempotencyKey, idempotencyKey));
    if (earlier) return sendResponse(earlier, input);
  }

  const failure = await takeSimulatorFailure(db);
  if (failure?.kind === "server_error") {
    return graphError(500, failure.code ?? 131000, simulatedErrorTitle(failure.code ?? 131000));
  }
  if (failure?.kind === "timeout") return hang(request, options);
  if (failure?.kind === "drop_connection") return dropped();
  if (failure?.kind === "graph_error") {
    const code = failure.code ?? 131000;
    return graphError(
      httpStatusFor(code),
      code,
      simulatedErrorTitle(code),
      "Simulated by Parley's WhatsApp simulator.",
    );
  }

  const now = options.now();
  const [row] = await db
    .insert(simulatorMessages)
    .values({
      phoneNumberId,
      customer: input.replace(/^\+/, ""),
      direction: "to_customer",
      wamid: newWamid(),
      idempotencyKey,
      type: body.type,
      body: await displayText(db, phoneNumberId, body),
      payload: body,
      status: "accepted",
      failCode: failure?.kind === "failed_status" ? (failure.code ?? 131026) : null,
      nextStatusAt: new Date(now.getTime() + FIRST_STATUS_DELAY_MS),
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  // A concurrent retry with the same key won the insert: answer with its wamid.
  const recorded =
    row ??
    (idempotencyKey
      ? (
          await db
            .select()
            .from(simulatorMessages)
            .where(eq(simulatorMessages.idempotencyKey, idempotencyKey))
        )[0]
      : undefined);
  if (!recorded) return graphError(500, 131000, "Something went wrong");
  if (failure?.kind === "accept_then_timeout") return hang(request, options);
  if (failure?.kind === "accept_then_drop") return dropped();
  return sendResponse(recorded, input);
}

/**
 * A connection cut mid-answer: the body stream fails, so the server (Next.js or a plain node:http
 * one) destroys the socket and the client's read fails, as when a proxy or Meta's edge drops it.
 */
function dropped(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error("Simulated dropped connection."));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** Never answers in time: waits until the client hangs up (or `hangMs`), then answers 504. */
async function hang(request: Request, options: StandInOptions): Promise<Response> {
  try {
    await sleep(options.hangMs ?? 60_000, undefined, { signal: request.signal });
  } catch {
    // The client gave up, as intended.
  }
  return graphError(504, 131000, "Something went wrong", "Simulated timeout.");
}

async function handleMarkRead(phoneNumberId: string, raw: unknown, db: Database): Promise<Response> {
  const parsed = markReadSchema.safeParse(raw);
  if (!parsed.success) return graphError(400, 100, "Invalid parameter");
  const [target] = await db
    .select()
    .from(simulatorMessages)
    .where(
      and(
        eq(simulatorMessages.wamid, parsed.data.message_id),
        eq(simulatorMessages.phoneNumberId, phoneNumberId),
      ),
    );
  // Like WhatsApp: reading one message reads everything the customer sent before it too.
  if (target) {
    await db
      .update(simulatorMessages)
      .set({ status: "read" })
      .where(
        and(
          eq(simulatorMessages.phoneNumberId, phoneNumberId),
          eq(simulatorMessages.customer, target.customer),
          eq(simulatorMessages.direction, "to_business"),
          inArray(simulatorMessages.status, ["sent", "delivered"]),
          lte(simulatorMessages.createdAt, target.createdAt),
        ),
      );
  }
  return Response.json({ success: true });
}

async function handleUpload(request: Request, db: Database, now: Date): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return graphError(400, 100, "Invalid parameter", "Expected multipart/form-data with a file.");
  }
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0)
    return graphError(400, 100, "Invalid parameter", "file is required.");
  const data = Buffer.from(await file.arrayBuffer());
  const declaredType = form.get("type");
  const id = newMediaId();
  await db.insert(simulatorMedia).values({
    id,
    mimeType: file.type || (typeof declaredType === "string" ? declaredType : "application/octet-stream"),
    filename: file instanceof File ? file.name : null,
    sha256: createHash("sha256").update(data).digest("base64"),
    data,
    createdAt: now,
  });
  return Response.json({ id });
}

async function handleMediaInfo(mediaId: string, options: StandInOptions): Promise<Response> {
  const [media] = await options.db
    .select({
      id: simulatorMedia.id,
      mimeType: simulatorMedia.mimeType,
      sha256: simulatorMedia.sha256,
      data: simulatorMedia.data,
    })
    .from(simulatorMedia)
    .where(eq(simulatorMedia.id, mediaId));
  if (!media) return graphError(404, 100, "Invalid parameter", "Unknown or expired media id.");
  return Response.json({
    messaging_product: "whatsapp",
    url: `${options.baseUrl}/media-download/${encodeURIComponent(media.id)}`,
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.data.byteLength,
    id: media.id,
  });
}

async function handleDownload(mediaId: string, db: Database): Promise<Response> {
  const [media] = await db.select().from(simulatorMedia).where(eq(simulatorMedia.id, mediaId));
  if (!media) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(media.data), {
    headers: { "content-type": media.mimeType, "content-length": String(media.data.byteLength) },
  });
}

async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return (await request.json()) as unknown;
  } catch {
    return undefined;
  }
}

/** Answers one request under the stand-in's root; `path` is what follows it. */
export async function handleGraphRequest(
  request: Request,
  path: string[],
  options: StandInOptions,
): Promise<Response> {
  if (!bearerMatches(request, options.accessToken)) {
    return graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
  }
  const [first, second, third] = path;
  if (request.method === "GET" && first === "media-download" && second && path.length === 2) {
    return handleDownload(second, options.db);
  }
  if (!first || !/^v\d+\.\d+$/.test(first))
    return graphError(400, 100, "Unsupported request - unknown version");

  if (request.method === "POST" && second && third === "messages" && path.length === 3) {
    const body = await readJsonBody(request);
    if (isPlainObject(body) && body.status === "read") return handleMarkRead(second, body, options.db);
    return handleSend(request, second, body, options);
  }
  if (request.method === "POST" && second && third === "media" && path.length === 3) {
    return handleUpload(request, options.db, options.now());
  }
  if (request.method === "GET" && second && third === "message_templates" && path.length === 3) {
    // One simulated business account, whatever its id: the catalog every simulated number shares.
    return Response.json({
      data: simulatorTemplateCatalog,
      paging: { cursors: { before: "MAZDZD", after: "MjQZD" } },
    });
  }
  if (request.method === "GET" && second && path.length === 2) return handleMediaInfo(second, options);
  return graphError(400, 100, "Unsupported request - method type or path not supported");
}
