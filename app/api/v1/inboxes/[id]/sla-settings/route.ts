import { getInboxSlaSettings, saveInboxSlaSettings } from "@/lib/domain/sla";
import { offHoursVariables } from "@/lib/sla/off-hours";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Admins: the inbox's calendar, SLA policy and off-hours reply (defaults filled in). */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const settings = await getInboxSlaSettings({ ctx, input: unparsed({ inboxId: (await params).id }) });
  return Response.json({ ...settings, offHoursVariables });
});

/**
 * Admins: `{ calendar: { timeZone, weeklyHours, holidays }, policy: { firstResponseMinutes,
 * nextResponseMinutes, clock }, offHoursReply: { enabled, template } }`. Running clocks are
 * recomputed; the answer says how many.
 */
export const PUT = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const settings = await saveInboxSlaSettings({
    ctx,
    input: unparsed({ ...body, inboxId: (await params).id }),
  });
  return Response.json({ ...settings, offHoursVariables });
});
