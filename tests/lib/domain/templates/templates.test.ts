import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, type Inbox, type User } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/domain/errors";
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  renderTemplateBody,
  scanTemplatePlaceholders,
  updateTemplate,
} from "@/lib/domain/templates";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createInbox, createUser, ctxFor } from "../../../support/factories";
import { containing } from "../../../support/matchers";

const database = setupTestDatabase();
const now = new Date("2026-11-20T12:00:00.000Z");
let support: Inbox;
let sales: Inbox;
let admin: User;
let dana: User;
let sam: User;

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db);
  sales = await createInbox(db);
  admin = await createUser(db, { role: "admin" });
  dana = await createUser(db);
  sam = await createUser(db, { role: "supervisor" });
  await addMember(db, support.id, dana.id);
  await addMember(db, support.id, sam.id);
});

const as = (user: User) => ctxFor(database().handle.db, actorFor(user), now);

describe("template placeholders", () => {
  it("finds named and numbered placeholders in order of first appearance", () => {
    expect(scanTemplatePlaceholders("Hi {{name}}, order {{ order_number }} for {{name}}")).toEqual({
      ok: true,
      format: "named",
      parameters: ["name", "order_number"],
    });
    expect(scanTemplatePlaceholders("{{2}} then {{1}}")).toEqual({
      ok: true,
      format: "positional",
      parameters: ["1", "2"],
    });
    expect(scanTemplatePlaceholders("No placeholders")).toEqual({
      ok: true,
      format: "named",
      parameters: [],
    });
  });

  it("refuses mixed, gapped or upper-case placeholders", () => {
    expect(scanTemplatePlaceholders("{{1}} and {{name}}")).toMatchObject({ ok: false });
    expect(scanTemplatePlaceholders("{{1}} and {{3}}")).toMatchObject({ ok: false });
    expect(scanTemplatePlaceholders("{{Name}}")).toMatchObject({ ok: false });
  });

  it("renders a body with its values", () => {
    expect(renderTemplateBody("Hi {{name}}, {{ order }}!", { name: "Sheena", order: "#1" })).toBe(
      "Hi Sheena, #1!",
    );
  });
});

describe("template verbs", () => {
  it("lets an admin record an approved template, with its placeholders found", async () => {
    const template = await createTemplate({
      ctx: as(admin),
      input: {
        inboxId: support.id,
        name: "follow_up",
        language: "en_US",
        category: "utility",
        body: "Hello {{customer_name}}, is there anything else we can help with?",
      },
    });
    expect(template).toMatchObject({
      status: "approved",
      parameterFormat: "named",
      parameters: ["customer_name"],
    });
    const audit = await database()
      .handle.db.select()
      .from(auditLog)
      .where(eq(auditLog.targetId, template.id));
    expect(audit).toEqual([containing({ action: "template.created", actorId: admin.id })]);
  });

  it("refuses agents and supervisors who try to manage templates", async () => {
    for (const user of [dana, sam]) {
      await expect(
        createTemplate({
          ctx: as(user),
          input: { inboxId: support.id, name: "x", language: "en", category: "utility", body: "Hi" },
        }),
      ).rejects.toThrow(ForbiddenError);
    }
  });

  it("refuses a duplicate name and language in one inbox, and bad input", async () => {
    const input = {
      inboxId: sales.id,
      name: "order_update",
      language: "en_US",
      category: "utility" as const,
      body: "Hi",
    };
    await createTemplate({ ctx: as(admin), input });
    await expect(createTemplate({ ctx: as(admin), input })).rejects.toThrow(ConflictError);
    await expect(
      createTemplate({ ctx: as(admin), input: { ...input, name: "Order Update" } }),
    ).rejects.toThrow(/lower-case letters/);
    await expect(
      createTemplate({ ctx: as(admin), input: { ...input, name: "mixed", body: "{{1}} {{x}}" } }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      createTemplate({
        ctx: as(admin),
        input: { ...input, inboxId: "00000000-0000-4000-8000-000000000000", name: "z" },
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it("shows agents the templates of their inboxes only, and admins all of them", async () => {
    const mine = await listTemplates({ ctx: as(dana), input: {} });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((template) => template.inboxId === support.id)).toBe(true);
    const all = await listTemplates({ ctx: as(admin), input: {} });
    expect(new Set(all.map((template) => template.inboxId))).toEqual(new Set([support.id, sales.id]));
  });

  it("updates a template's status and body, and deletes it", async () => {
    const template = await createTemplate({
      ctx: as(admin),
      input: {
        inboxId: support.id,
        name: "promo",
        language: "pt_BR",
        category: "marketing",
        status: "pending",
        body: "Oi",
      },
    });
    const updated = await updateTemplate({
      ctx: as(admin),
      input: { templateId: template.id, status: "approved", body: "Oi {{1}}" },
    });
    expect(updated).toMatchObject({ status: "approved", parameterFormat: "positional", parameters: ["1"] });
    await expect(
      updateTemplate({ ctx: as(dana), input: { templateId: template.id, status: "paused" } }),
    ).rejects.toThrow(ForbiddenError);
    await deleteTemplate({ ctx: as(admin), input: { templateId: template.id } });
    await expect(deleteTemplate({ ctx: as(admin), input: { templateId: template.id } })).rejects.toThrow(
      NotFoundError,
    );
  });
});
