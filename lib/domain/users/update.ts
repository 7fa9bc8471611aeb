import { and, eq, inArray } from "drizzle-orm";
import { inboxes, inboxMembers, users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "../errors";
import { ensureAnotherActiveAdmin, lockActiveAdmins } from "./admins";
import { bumpSessionVersion } from "./end-sessions";
import { updateUserInput, type UpdateUserInput } from "./schemas";

/**
 * Changes a user's role, inbox membership and/or status. A role or status change ends their
 * sessions; a membership change moves their open sockets between inbox rooms. The last active
 * admin cannot be demoted or deactivated, and nobody deactivates themselves.
 */
export async function updateUser({ ctx, input }: { ctx: Ctx; input: UpdateUserInput }) {
  requirePermission(ctx.actor, "users.manage");
  const change = updateUserInput.parse(input);
  const selfId = ctx.actor.kind === "user" ? ctx.actor.userId : undefined;
  if (change.status === "deactivated" && change.userId === selfId) {
    throw new ForbiddenError("You cannot deactivate your own account; ask another admin.");
  }

  const outcome = await inTransaction(ctx, async (tx) => {
    const [peek] = await tx
      .select({ role: users.role, status: users.status })
      .from(users)
      .where(eq(users.id, change.userId));
    if (!peek) throw new NotFoundError("That user does not exist.");
    // Admins are locked as a set, in id order, before the row itself, so two admins demoting each
    // other at once queue instead of deadlocking.
    const adminSetLocked = peek.role === "admin" && peek.status === "active";
    if (adminSetLocked) await lockActiveAdmins(tx);
    const [current] = await tx.select().from(users).where(eq(users.id, change.userId)).for("update");
    if (!current) throw new NotFoundError("That user does not exist.");

    const role = change.role ?? current.role;
    const status = change.status ?? current.status;
    const losesAdmin =
      current.role === "admin" && current.status === "active" && (role !== "admin" || status !== "active");
    if (losesAdmin) await ensureAnotherActiveAdmin(tx, current.id);

    const roleChanged = role !== current.role;
    const statusChanged = status !== current.status;
    if (roleChanged || statusChanged) {
      await tx.update(users).set({ role, status, updatedAt: ctx.now }).where(eq(users.id, current.id));
      await bumpSessionVersion(tx, current.id, ctx.now);
    }
    if (roleChanged) {
      await recordAudit(tx, ctx, {
        action: "user.role_changed",
        targetType: "user",
        targetId: current.id,
        details: { from: current.role, to: role },
      });
    }
    if (statusChanged) {
      await recordAudit(tx, ctx, {
        action: status === "deactivated" ? "user.deactivated" : "user.reactivated",
        targetType: "user",
        targetId: current.id,
      });
    }

    let added: string[] = [];
    let removed: string[] = [];
    if (change.inboxIds) {
      const wanted = change.inboxIds;
      if (wanted.length > 0) {
        const found = await tx.select({ id: inboxes.id }).from(inboxes).where(inArray(inboxes.id, wanted));
        if (found.length !== wanted.length)
          throw new InvalidInputError("inboxIds: one of the inboxes does not exist.");
      }
      const existing = (
        await tx
          .select({ inboxId: inboxMembers.inboxId })
          .from(inboxMembers)
          .where(eq(inboxMembers.userId, current.id))
      ).map((row) => row.inboxId);
      added = wanted.filter((id) => !existing.includes(id));
      removed = existing.filter((id) => !wanted.includes(id));
      if (removed.length > 0) {
        await tx
          .delete(inboxMembers)
          .where(and(eq(inboxMembers.userId, current.id), inArray(inboxMembers.inboxId, removed)));
      }
      if (added.length > 0) {
        await tx.insert(inboxMembers).values(added.map((inboxId) => ({ inboxId, userId: current.id })));
      }
      if (added.length > 0 || removed.length > 0) {
        await recordAudit(tx, ctx, {
          action: "user.inboxes_changed",
          targetType: "user",
          targetId: current.id,
          details: { added, removed },
        });
      }
    }
    if (!roleChanged && !statusChanged && added.length === 0 && removed.length === 0) {
      throw new ConflictError("Nothing changed: the user already has that role, status and inboxes.");
    }
    return { userId: current.id, sessionsEnded: roleChanged || statusChanged, added, removed };
  });

  if (outcome.sessionsEnded) publish.sessionEnded(outcome.userId);
  else publish.membershipChanged({ userId: outcome.userId, added: outcome.added, removed: outcome.removed });
  return outcome;
}
