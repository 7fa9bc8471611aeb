import { revealOriginal } from "@/lib/domain/privacy";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ messageId: string }> };

/** The unmasked text of a message whose secrets were masked at ingest (`messages.reveal_original`, audited). */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const original = await revealOriginal({ ctx, input: unparsed({ messageId: (await params).messageId }) });
  return Response.json(original, { headers: { "cache-control": "private, no-store" } });
});
