import { requirePermission, type Ctx } from "../context";
import { userSummaries, type UserSummary } from "../users/list";

export const INACTIVE_AFTER_DAYS = 30;
export const REVIEW_EVERY_DAYS = 90;
const DAY_MS = 86_400_000;

export interface AccessReviewEntry extends UserSummary {
  flags: {
    /** No sign-in for 30 days (counting from creation for someone who never signed in). */
    inactive: boolean;
    /** Access last confirmed more than 90 days ago (or never since creation). */
    reviewOverdue: boolean;
  };
}

/** Everyone with access, flagged where a human should look; flagged entries first. */
export async function listAccessReview({ ctx }: { ctx: Ctx }): Promise<AccessReviewEntry[]> {
  requirePermission(ctx.actor, "access_reviews.manage");
  const now = ctx.now.getTime();
  const entries = (await userSummaries(ctx)).map((user) => ({
    ...user,
    flags: {
      inactive: now - (user.lastLoginAt ?? user.createdAt).getTime() > INACTIVE_AFTER_DAYS * DAY_MS,
      reviewOverdue: now - (user.accessReviewedAt ?? user.createdAt).getTime() > REVIEW_EVERY_DAYS * DAY_MS,
    },
  }));
  const weight = (e: AccessReviewEntry) =>
    (e.status === "active" ? 0 : 4) + (e.flags.inactive || e.flags.reviewOverdue ? 0 : 2);
  return entries.sort((a, b) => weight(a) - weight(b));
}
