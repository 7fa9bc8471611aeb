import { getPrivacyOverview, updatePrivacySettings } from "@/lib/domain/privacy";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The privacy settings and the retention sweeper's recent runs. */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await getPrivacyOverview({ ctx }));
});

/** `{ retentionDays?: number | null, keepMaskedOriginals?: boolean, maskedOriginalDays?: number }`. */
export const PUT = route(async (request) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(await updatePrivacySettings({ ctx, input: unparsed(body) }));
});
