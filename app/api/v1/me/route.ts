import { requestContext } from "@/lib/auth/actor";
import { getMe } from "@/lib/domain/users";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await getMe({ ctx }));
});
