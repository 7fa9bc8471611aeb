import { listInboxMembers } from "@/lib/domain/inboxes/list-members";
import { requestContext } from "@/lib/auth/actor";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json({ items: await listInboxMembers({ ctx, input: { inboxId: (await params).id } }) });
});
