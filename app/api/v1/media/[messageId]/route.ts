import { openMessageMedia } from "@/lib/domain/media";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ messageId: string }> };

/** A customer's photo, voice note or file, fetched from WhatsApp on demand and streamed through. */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const media = await openMessageMedia({ ctx, input: unparsed({ messageId: (await params).messageId }) });
  if (media.kind === "redirect") {
    return new Response(null, {
      status: 302,
      headers: { location: media.url, "cache-control": "private, no-store" },
    });
  }
  const headers: Record<string, string> = {
    "content-type": media.contentType,
    "content-disposition": `${media.disposition}; filename*=UTF-8''${encodeURIComponent(media.filename)}`,
    "cache-control": "private, max-age=300",
    // Customer files are untrusted: never sniffed into something executable, never scripted.
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  };
  if (media.contentLength !== undefined) headers["content-length"] = String(media.contentLength);
  return new Response(media.body, { headers });
});
