import { z } from "zod";

export const listAuditLogInput = z
  .object({
    actorId: z.uuid({ message: "actorId must be a UUID" }).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    targetType: z.string().trim().min(1).max(50).optional(),
    targetId: z.string().trim().min(1).max(200).optional(),
    from: z.iso.datetime({ message: "from must be an ISO date-time", offset: true }).optional(),
    to: z.iso.datetime({ message: "to must be an ISO date-time", offset: true }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce
      .number({ message: "limit must be a number" })
      .int("limit must be a whole number")
      .min(1, "limit must be between 1 and 200")
      .max(200, "limit must be between 1 and 200")
      .default(50),
  })
  .strict();
export type ListAuditLogInput = z.input<typeof listAuditLogInput>;

const cursorSchema = z.object({ at: z.iso.datetime(), id: z.number().int() });

export function encodeAuditCursor(cursor: { at: Date; id: number }): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString("base64url");
}

export function decodeAuditCursor(value: string): { at: Date; id: number } | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.at), id: parsed.data.id } : undefined;
  } catch {
    return undefined;
  }
}
