import { and, eq } from "drizzle-orm";
import { conversations, messages } from "@/lib/db/schema";
import type { GraphClient } from "@/lib/whatsapp/graph-client";
import { defaultGraphClient } from "@/lib/whatsapp/default-client";
import { isPlainObject } from "@/lib/whatsapp/json-safety";
import { requirePermission, type Ctx } from "../context";
import { visibleConversations } from "../conversations/scope";
import { NotFoundError, PayloadTooLargeError, UpstreamError } from "../errors";
import { messageIdInput, type MessageIdInput } from "../messages/schemas";

/** Parley relays media up to this size; larger files stay on WhatsApp. */
export const MEDIA_SIZE_LIMIT = 100 * 1024 * 1024;

const mediaTypes = new Set(["image", "video", "audio", "document", "sticker"]);

/** Types a browser may show inline from our origin; anything else (HTML, SVG, PDF…) is a download. */
const inlineTypes =
  /^(image\/(jpeg|png|gif|webp)|video\/(mp4|3gpp|webm)|audio\/(aac|amr|mpeg|mp4|ogg|opus|webm)(;.*)?)$/i;

export type OpenedMedia =
  | {
      kind: "stream";
      body: ReadableStream<Uint8Array>;
      contentType: string;
      contentLength?: number;
      /** inline for images, video and audio; attachment for everything else. */
      disposition: "inline" | "attachment";
      filename: string;
    }
  /** Media the business sent by link: the browser fetches it from there. */
  | { kind: "redirect"; url: string };

/** Counts bytes through the stream and errors it past the limit, for bodies without a length. */
function limitedStream(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit)
          controller.error(new PayloadTooLargeError("The media file is larger than Parley relays."));
        else controller.enqueue(chunk);
      },
    }),
  );
}

function stringField(part: Record<string, unknown>, key: string): string | undefined {
  const value = part[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The file behind a media message the actor may see: Graph `GET /{media-id}`, then the URL it
 * returns with the bearer token, streamed and size-limited. Nothing is cached on our side.
 */
export async function openMessageMedia({
  ctx,
  input,
  graph = defaultGraphClient(),
  maxBytes = MEDIA_SIZE_LIMIT,
}: {
  ctx: Ctx;
  input: MessageIdInput;
  graph?: GraphClient;
  maxBytes?: number;
}): Promise<OpenedMedia> {
  requirePermission(ctx.actor, "conversations.read");
  const { messageId } = messageIdInput.parse(input);

  const [message] = await ctx.db
    .select({ type: messages.type, payload: messages.payload })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId), visibleConversations(ctx.db, ctx.actor)));
  if (!message) throw new NotFoundError("That message does not exist or is not in your inboxes.");
  const part = mediaTypes.has(message.type) ? message.payload?.[message.type] : undefined;
  if (!isPlainObject(part)) throw new NotFoundError("That message has no media.");

  const mediaId = stringField(part, "id");
  const link = stringField(part, "link");
  if (!mediaId && link?.startsWith("https://")) return { kind: "redirect", url: link };
  if (!mediaId) throw new NotFoundError("That message has no media.");

  const info = await graph.getMedia(mediaId);
  if (!info.ok) {
    if (info.code === 100 || info.httpStatus === 404) {
      throw new NotFoundError("This media is no longer available on WhatsApp (media expires after 7 days).");
    }
    throw new UpstreamError("WhatsApp could not provide this media right now; try again in a moment.");
  }
  const tooLarge = () =>
    new PayloadTooLargeError(
      `This file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; open it on WhatsApp instead.`,
    );
  if (info.value.file_size !== undefined && info.value.file_size > maxBytes) throw tooLarge();
  const download = await graph.downloadMedia(info.value.url);
  if (!download.ok && download.refused) {
    throw new UpstreamError(
      "WhatsApp gave a download address Parley does not trust (not Meta's, or redirecting), so the file was not fetched.",
    );
  }
  if (!download.ok)
    throw new UpstreamError("WhatsApp could not provide this media right now; try again in a moment.");
  const response = download.value;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) throw new UpstreamError("WhatsApp sent an empty media file.");

  const contentType =
    info.value.mime_type ??
    stringField(part, "mime_type") ??
    response.headers.get("content-type") ??
    "application/octet-stream";
  return {
    kind: "stream",
    body: limitedStream(response.body, maxBytes),
    contentType,
    contentLength: Number.isFinite(declared) ? declared : undefined,
    disposition: message.type !== "document" && inlineTypes.test(contentType) ? "inline" : "attachment",
    filename: stringField(part, "filename") ?? `${message.type}-${messageId}`,
  };
}
