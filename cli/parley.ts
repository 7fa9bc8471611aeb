// The admin command line: `npm run parley -- <command> [options]`. Prints JSON on stdout; errors
// go to stderr with exit code 2 for bad arguments and 1 for anything else.
import { parseArgs } from "node:util";
import { z, ZodError } from "zod";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { databaseTargetFromEnv } from "@/lib/db/index";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedDemoData } from "@/lib/db/seed";
import { userRoles } from "@/lib/db/schema";
import type { Ctx } from "@/lib/domain/context";
import { DomainError, InvalidInputError } from "@/lib/domain/errors";
import { resolveInboxRefs } from "@/lib/domain/inboxes/resolve-refs";
import { createUser, findUserIdByEmail, resetTwoFactor } from "@/lib/domain/users";
import { EnvError, getEnv } from "@/lib/env";
import { describeZodError } from "@/lib/http/errors";

const usage = `Usage:
  npm run parley -- user:create --email <email> --name <name> --role <admin|supervisor|agent>
                                [--inbox <name or id>]... [--password <password>] [--with-2fa]
  npm run parley -- user:reset-2fa --email <email>`;

class UsageError extends Error {}

const createArgs = z
  .object({
    email: z.string({ message: "--email is required" }),
    name: z.string({ message: "--name is required" }),
    role: z.enum(userRoles, { message: "--role must be admin, supervisor or agent" }),
    inbox: z.array(z.string()).default([]),
    password: z.string().optional(),
    "with-2fa": z.boolean().default(false),
  })
  .strict();

const resetArgs = z.object({ email: z.string({ message: "--email is required" }) }).strict();

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        inbox: { type: "string", multiple: true },
        password: { type: "string" },
        "with-2fa": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function openFromEnv(): Promise<DatabaseHandle> {
  const handle = await openDatabase(databaseTargetFromEnv());
  await migrateDatabase(handle);
  // Opened like the server opens it, so a fresh development database gets its demo data too.
  if (getEnv().seed === "demo" && (await seedDemoData(handle.db)).seeded) {
    process.stderr.write("Seeded demo data.\n");
  }
  return handle;
}

async function run(command: string | undefined, argv: string[]): Promise<unknown> {
  if (command !== "user:create" && command !== "user:reset-2fa") {
    throw new UsageError(command ? `Unknown command "${command}".` : "Name a command.");
  }
  const options = parseOptions(argv);
  // Arguments are checked before the database is opened: bad input never writes anything.
  const create = command === "user:create" ? createArgs.parse(options) : undefined;
  const reset = command === "user:reset-2fa" ? resetArgs.parse(options) : undefined;

  const handle = await openFromEnv();
  try {
    const ctx: Ctx = { db: handle.db, actor: { kind: "system", reason: "command line" }, now: new Date() };
    if (create) {
      const inboxIds = await resolveInboxRefs({ ctx, refs: create.inbox });
      const created = await createUser({
        ctx,
        input: {
          email: create.email,
          name: create.name,
          role: create.role,
          inboxIds,
          password: create.password,
        },
        withTwoFactor: create["with-2fa"],
      });
      return {
        ...created.user,
        ...(created.generatedPassword ? { password: created.generatedPassword } : {}),
        ...(created.totpSecret
          ? { totpSecret: created.totpSecret, recoveryCodes: created.recoveryCodes }
          : {}),
      };
    }
    const email = reset?.email ?? "";
    const userId = await findUserIdByEmail({ ctx, email });
    await resetTwoFactor({ ctx, input: { userId } });
    return { id: userId, email: email.trim().toLowerCase(), twoFactorReset: true };
  } finally {
    await handle.close();
  }
}

async function main() {
  const [command, ...argv] = process.argv.slice(2);
  try {
    const result = await run(command, argv);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ZodError || error instanceof InvalidInputError) {
      const message = error instanceof ZodError ? describeZodError(error) : error.message;
      process.stderr.write(`${message}\n\n${usage}\n`);
      process.exit(2);
    }
    if (error instanceof DomainError || error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

void main();
