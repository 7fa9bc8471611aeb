import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templates, type Inbox, type User } from "@/lib/db/schema";
import { ForbiddenError, InvalidInputError, UpstreamError } from "@/lib/domain/errors";
import { createTemplate, syncTemplates } from "@/lib/domain/templates";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";
import { templateDefinitionSchema, templateFromDefinition } from "@/lib/whatsapp/templates";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, createInbox, createUser, ctxFor } from "../../../support/factories";
import { serveFetch, type TestServer } from "../../../support/http-server";
import { fixtureJson } from "../../../support/whatsapp";

const database = setupTestDatabase();
const TOKEN = "sync-token";
const now = new Date("2026-11-20T12:00:00.000Z");
let standIn: TestServer;
let graph: GraphClient;
let inbox: Inbox;
let admin: User;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db, { wabaId: "102290129340398" });
  admin = await createUser(db, { role: "admin" });
  agent = await createUser(db);
  standIn = await serveFetch((request) =>
    handleGraphRequest(request, new URL(request.url).pathname.split("/").filter(Boolean).slice(1), {
      db,
      now: () => now,
      accessToken: TOKEN,
      baseUrl: `${standIn.url}/graph`,
    }),
  );
  graph = createGraphClient({ baseUrl: `${standIn.url}/graph`, version: "v23.0", accessToken: TOKEN });
});
afterAll(() => standIn.close());

describe("reading Meta's template definitions", () => {
  it("turns Meta's documented named-parameter template into a Parley template", () => {
    const definition = templateDefinitionSchema.parse(fixtureJson("send_template_request_named_params.json"));
    const result = templateFromDefinition(definition);
    if (!result.ok) throw new Error(result.reason);
    expect(result.template).toMatchObject({
      name: "reservation_confirmation",
      language: "en_US",
      category: "utility",
      status: "pending",
      parameterFormat: "named",
      parameters: ["number_of_guests", "day", "date", "time"],
    });
    expect(result.template.body).toMatch(/^\*You're all set!\*/);
    expect(result.template.components?.map((component) => component.type)).toEqual([
      "header",
      "footer",
      "buttons",
    ]);
  });

  it("says why a definition cannot be used", () => {
    expect(
      templateFromDefinition({
        name: "x",
        language: "en",
        category: "UTILITY",
        components: [{ type: "HEADER" }],
      }),
    ).toEqual({ ok: false, reason: "x: no body text" });
  });
});

describe("syncTemplates", () => {
  it("adds the account's templates and updates the ones Parley already has", async () => {
    const { db } = database().handle;
    await createTemplate({
      ctx: ctxFor(db, actorFor(admin), now),
      input: {
        inboxId: inbox.id,
        name: "order_update",
        language: "en_US",
        category: "utility",
        status: "paused",
        body: "Old {{x}}",
      },
    });
    const result = await syncTemplates({
      ctx: ctxFor(db, actorFor(admin), now),
      input: { inboxId: inbox.id },
      graph,
    });
    expect(result).toEqual({ synced: 4, skipped: [] });
    const rows = await db.select().from(templates).where(eq(templates.inboxId, inbox.id));
    expect(rows.map((row) => [row.name, row.status]).sort()).toEqual([
      ["appointment_reminder", "approved"],
      ["follow_up", "approved"],
      ["order_update", "approved"],
      ["seasonal_offer", "pending"],
    ]);
    expect(rows.find((row) => row.name === "order_update")).toMatchObject({
      parameters: ["customer_name", "order_number", "order_status"],
      externalId: "5550000000001",
    });
  });

  it("needs an admin, an inbox with a business account, and WhatsApp answering", async () => {
    const { db } = database().handle;
    await expect(
      syncTemplates({ ctx: ctxFor(db, actorFor(agent), now), input: { inboxId: inbox.id }, graph }),
    ).rejects.toThrow(ForbiddenError);
    const bare = await createInbox(db, { wabaId: null });
    await expect(
      syncTemplates({ ctx: ctxFor(db, actorFor(admin), now), input: { inboxId: bare.id }, graph }),
    ).rejects.toThrow(InvalidInputError);
    const offline = createGraphClient({ baseUrl: "http://127.0.0.1:1", version: "v23.0", accessToken: "t" });
    await expect(
      syncTemplates({ ctx: ctxFor(db, actorFor(admin), now), input: { inboxId: inbox.id }, graph: offline }),
    ).rejects.toThrow(UpstreamError);
  });
});
