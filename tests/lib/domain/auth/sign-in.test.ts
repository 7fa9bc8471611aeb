import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { totpCodeAt } from "@/lib/auth/totp";
import { auditLog, authThrottles, users } from "@/lib/db/schema";
import {
  badCredentialsMessage,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  reusedCodeMessage,
  signInLimits,
  signInWithCredentials,
  type SignInInput,
} from "@/lib/domain/auth";
import type { Ctx } from "@/lib/domain/context";
import { ConflictError, RateLimitedError, UnauthenticatedError } from "@/lib/domain/errors";
import { setupTestDatabase } from "../../../support/db";
import { createAccount, type TestAccount } from "../../../support/auth";

const database = setupTestDatabase();
const t0 = new Date("2026-11-20T12:00:05.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function ctxAt(now: Date, ip = "198.51.100.7"): Ctx {
  return { db: database().handle.db, actor: { kind: "system", reason: "sign-in" }, now, ip };
}

async function outcome(input: SignInInput, now: Date, ip?: string): Promise<string> {
  try {
    const user = await signInWithCredentials({ ctx: ctxAt(now, ip), input });
    return `signed in ${user.twoFactor ? "with 2FA" : "for enrolment"}`;
  } catch (error) {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    throw error;
  }
}

let agent: TestAccount;

beforeAll(async () => {
  agent = await createAccount(database().handle.db);
});

describe("signInWithCredentials", () => {
  it("signs in with the password and the current TOTP code, and records it", async () => {
    const result = await outcome(
      {
        email: agent.email.toUpperCase(),
        password: agent.password,
        code: totpCodeAt(agent.totpSecret ?? "", at(0)),
      },
      at(0),
    );
    expect(result).toBe("signed in with 2FA");
    const [row] = await database().handle.db.select().from(users).where(eq(users.id, agent.id));
    expect(row?.lastLoginAt).toEqual(at(0));
    const audit = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.signed_in"), eq(auditLog.targetId, agent.id)));
    expect(audit[0]).toMatchObject({ actorKind: "user", actorId: agent.id, ip: "198.51.100.7" });
  });

  it("rejects a reused TOTP code", async () => {
    const code = totpCodeAt(agent.totpSecret ?? "", at(60));
    expect(await outcome({ email: agent.email, password: agent.password, code }, at(60))).toBe(
      "signed in with 2FA",
    );
    expect(await outcome({ email: agent.email, password: agent.password, code }, at(61))).toBe(
      `UnauthenticatedError: ${reusedCodeMessage}`,
    );
  });

  it("rejects a code from a step before the last accepted one", async () => {
    const earlier = totpCodeAt(agent.totpSecret ?? "", at(90));
    expect(
      await outcome(
        { email: agent.email, password: agent.password, code: totpCodeAt(agent.totpSecret ?? "", at(120)) },
        at(120),
      ),
    ).toBe("signed in with 2FA");
    expect(await outcome({ email: agent.email, password: agent.password, code: earlier }, at(121))).toMatch(
      /UnauthenticatedError/,
    );
  });

  it("gives the same message for an unknown email, a wrong password and a deactivated account", async () => {
    const { db } = database().handle;
    const gone = await createAccount(db);
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, gone.id));
    const expected = `UnauthenticatedError: ${badCredentialsMessage}`;
    expect(
      await outcome({ email: "nobody@example.test", password: agent.password, code: "123456" }, at(200)),
    ).toBe(expected);
    expect(
      await outcome({ email: agent.email, password: "wrong password entirely", code: "123456" }, at(200)),
    ).toBe(expected);
    expect(
      await outcome(
        { email: gone.email, password: gone.password, code: totpCodeAt(gone.totpSecret ?? "", at(200)) },
        at(200),
      ),
    ).toBe(expected);
  });

  it("audits failures without naming the actor", async () => {
    const { db } = database().handle;
    await outcome({ email: "ghost@example.test", password: "nothing to see here" }, at(300));
    const [row] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.targetId, "ghost@example.test")));
    expect(row).toMatchObject({
      actorKind: "anonymous",
      actorId: null,
      details: { reason: "unknown_email" },
    });
  });

  it("accepts a recovery code exactly once", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const code = person.recoveryCodes?.[0] ?? "";
    expect(await outcome({ email: person.email, password: person.password, code }, at(400))).toBe(
      "signed in with 2FA",
    );
    expect(await outcome({ email: person.email, password: person.password, code }, at(401))).toMatch(
      /UnauthenticatedError: That code is not right/,
    );
    // Typed differently (upper case, no dash), a different unused code still works.
    const other = (person.recoveryCodes?.[1] ?? "").toUpperCase().replace("-", "");
    expect(await outcome({ email: person.email, password: person.password, code: other }, at(402))).toBe(
      "signed in with 2FA",
    );
  });

  it("lets only one of two concurrent sign-ins with the same recovery code through", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const input = { email: person.email, password: person.password, code: person.recoveryCodes?.[2] ?? "" };
    const results = await Promise.all([outcome(input, at(500)), outcome(input, at(500))]);
    expect(results.filter((r) => r === "signed in with 2FA")).toHaveLength(1);
  });

  it("lets only one of two concurrent sign-ins with the same TOTP code through", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const input = {
      email: person.email,
      password: person.password,
      code: totpCodeAt(person.totpSecret ?? "", at(600)),
    };
    const results = await Promise.all([outcome(input, at(600)), outcome(input, at(600))]);
    expect(results.filter((r) => r === "signed in with 2FA")).toHaveLength(1);
  });

  it("signs in a user without 2FA only for enrolment", async () => {
    const { db } = database().handle;
    const newcomer = await createAccount(db, { twoFactor: false });
    expect(await outcome({ email: newcomer.email, password: newcomer.password }, at(700))).toBe(
      "signed in for enrolment",
    );
  });

  it(
    "counts at most 100 failures for one account however many arrive at once, then answers 429",
    { timeout: 60_000 },
    async () => {
      const { db } = database().handle;
      const target = await createAccount(db);
      const now = at(800);
      const attempts = Array.from({ length: signInLimits.account + 20 }, (_, i) =>
        signInWithCredentials({
          ctx: ctxAt(now, `203.0.113.${i % 200}`),
          input: { email: target.email, password: `wrong password number ${i}` },
        }).then(
          () => "signed in",
          (error: unknown) =>
            error instanceof RateLimitedError
              ? "throttled"
              : error instanceof UnauthenticatedError
                ? "failed"
                : String(error),
        ),
      );
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r === "failed")).toHaveLength(signInLimits.account);
      expect(results.filter((r) => r === "throttled")).toHaveLength(20);

      const counted = await db
        .select()
        .from(authThrottles)
        .where(eq(authThrottles.key, `account:${target.email}`));
      expect(counted.reduce((sum, row) => sum + row.count, 0)).toBe(signInLimits.account);

      // Even the right password is refused while locked out, with a readable wait.
      const locked = signInWithCredentials({
        ctx: ctxAt(at(801)),
        input: {
          email: target.email,
          password: target.password,
          code: totpCodeAt(target.totpSecret ?? "", at(801)),
        },
      });
      await expect(locked).rejects.toThrow(/^Too many sign-in attempts; try again in \d+ minutes\.$/);
      const lockouts = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "auth.locked_out"), like(auditLog.targetId, target.email)));
      expect(lockouts).toHaveLength(1);

      // An hour and a quarter later the failures no longer count.
      expect(
        await outcome(
          {
            email: target.email,
            password: target.password,
            code: totpCodeAt(target.totpSecret ?? "", at(800 + 75 * 60)),
          },
          at(800 + 75 * 60),
        ),
      ).toBe("signed in with 2FA");
    },
  );

  it("does not count successful sign-ins against the limit", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    await outcome({ email: person.email, password: person.password }, at(900));
    const rows = await db
      .select()
      .from(authThrottles)
      .where(eq(authThrottles.key, `account:${person.email}`));
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(0);
  });
});

describe("TOTP enrolment", () => {
  it("keeps the same pending secret until confirmed, then refuses a second enrolment", async () => {
    const { db } = database().handle;
    const newcomer = await createAccount(db, { twoFactor: false });
    const ctx: Ctx = {
      db,
      actor: { kind: "user", userId: newcomer.id, role: "agent", name: newcomer.name, via: "session" },
      now: at(1000),
    };
    const first = await beginTotpEnrolment({ ctx });
    const again = await beginTotpEnrolment({ ctx });
    expect(again.secret).toBe(first.secret);
    const [stored] = await db.select().from(users).where(eq(users.id, newcomer.id));
    expect(stored?.totpSecretEncrypted).not.toContain(first.secret);

    const result = await confirmTotpEnrolment({ ctx, input: { code: totpCodeAt(first.secret, at(1000)) } });
    expect(result.recoveryCodes).toHaveLength(10);
    expect(result.sessionVersion).toBe(2);
    await expect(beginTotpEnrolment({ ctx })).rejects.toThrow(ConflictError);

    // The code used to confirm cannot be replayed to sign in.
    expect(
      await outcome(
        { email: newcomer.email, password: newcomer.password, code: totpCodeAt(first.secret, at(1000)) },
        at(1001),
      ),
    ).toBe(`UnauthenticatedError: ${reusedCodeMessage}`);
  });
});
