import { exportContact } from "@/lib/domain/contacts";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Everything held about the contact as a download: `?format=json|html` (recorded and audited). */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const file = await exportContact({
    ctx,
    input: unparsed({ ...searchParamsOf(request), contactId: (await params).id }),
  });
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      // The HTML export is data, not an app: nothing in it runs.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
});
