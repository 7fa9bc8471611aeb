import { requestContext } from "@/lib/auth/actor";
import { createUser, listUsers } from "@/lib/domain/users";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await listUsers({ ctx }));
});

/** Invites a team member; a generated password is in the answer, once. */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const created = await createUser({ ctx, input: unparsed(await readJson(request)) });
  return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
