import { requestContext } from "@/lib/auth/actor";
import { updateUser } from "@/lib/domain/users";
import { InvalidInputError } from "@/lib/domain/errors";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Changes role, inbox membership (`inboxIds`) and/or status. */
export const PATCH = route(async (request, { params }: { params: Promise<{ userId: string }> }) => {
  const ctx = await requestContext(request);
  const body = await readJson(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidInputError("Send a JSON object with role, inboxIds or status.");
  }
  const { userId } = await params;
  return Response.json(await updateUser({ ctx, input: unparsed({ ...body, userId }) }));
});
