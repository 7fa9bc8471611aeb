"use client";

import { z } from "zod";
import type { ThreadMessage } from "./types";

// WhatsApp's own shapes, read defensively: anything unexpected falls back to plain text.
const media = z.object({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const location = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
});
const contactCard = z.object({
  name: z.object({ formatted_name: z.string().optional() }).optional(),
  phones: z.array(z.object({ phone: z.string().optional() })).optional(),
  emails: z.array(z.object({ email: z.string().optional() })).optional(),
  urls: z.array(z.object({ url: z.string().optional() })).optional(),
});

/** The non-empty values of one repeated field of a contact card (phones, emails, urls). */
function cardValues<K extends string>(items: Partial<Record<K, string>>[] | undefined, key: K): string[] {
  return (items ?? []).map((item) => item[key]).filter((value): value is string => Boolean(value));
}

function field<T>(payload: unknown, key: string, schema: z.ZodType<T>): T | undefined {
  if (typeof payload !== "object" || payload === null || !(key in payload)) return undefined;
  const parsed = schema.safeParse((payload as Record<string, unknown>)[key]);
  return parsed.success ? parsed.data : undefined;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Customer text is rendered as text; links become safe anchors that open outside Parley. */
export function LinkifiedText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <span className="whitespace-pre-wrap break-words">
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} target="_blank" rel="noopener noreferrer nofollow" className="underline">
            {part}
          </a>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </span>
  );
}

export function MessageContent({ message }: { message: ThreadMessage }) {
  const { type, payload, body } = message;
  const mediaUrl = `/api/v1/media/${message.id}`;

  if (message.redactedAt) {
    return (
      <span className="italic text-slate-500" data-testid="content-removed">
        Content removed
      </span>
    );
  }

  if (type === "image" || type === "sticker") {
    const info = field(payload, type, media);
    return (
      <figure>
        <img
          src={mediaUrl}
          alt={info?.caption ?? (type === "sticker" ? "Sticker" : "Image from the customer")}
          className="max-h-64 rounded"
          loading="lazy"
        />
        {info?.caption ? (
          <figcaption className="mt-1">
            <LinkifiedText text={info.caption} />
          </figcaption>
        ) : null}
      </figure>
    );
  }
  if (type === "video" || type === "audio") {
    const info = field(payload, type, media);
    return (
      <div>
        {type === "video" ? (
          <video src={mediaUrl} controls preload="none" className="max-h-64 rounded" />
        ) : (
          <audio src={mediaUrl} controls preload="none" />
        )}
        {info?.caption ? (
          <p className="mt-1">
            <LinkifiedText text={info.caption} />
          </p>
        ) : null}
      </div>
    );
  }
  if (type === "document") {
    const info = field(payload, "document", media);
    return (
      <a href={mediaUrl} className="flex items-center gap-2 underline" download={info?.filename ?? true}>
        <span aria-hidden>📄</span>
        <span>{info?.filename ?? "Document"}</span>
        {info?.caption ? (
          <span className="text-slate-600">
            <span aria-hidden>— </span>
            <span>{info.caption}</span>
          </span>
        ) : null}
      </a>
    );
  }
  if (type === "location") {
    const info = field(payload, "location", location);
    if (info) {
      const href = `https://www.openstreetmap.org/?mlat=${info.latitude}&mlon=${info.longitude}#map=16/${info.latitude}/${info.longitude}`;
      return (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="block underline">
          <span aria-hidden>📍 </span>
          <span>{info.name ?? "Shared location"}</span>
          {info.address ? <span className="block text-xs">{info.address}</span> : null}
        </a>
      );
    }
  }
  if (type === "contacts") {
    const cards = field(payload, "contacts", z.array(contactCard));
    if (cards) {
      return (
        <ul className="space-y-1">
          {cards.map((card, index) => {
            const phones = cardValues(card.phones, "phone");
            const emails = cardValues(card.emails, "email");
            const urls = cardValues(card.urls, "url");
            return (
              <li key={index}>
                <span aria-hidden>👤 </span>
                <span>{card.name?.formatted_name ?? "Contact"}</span>
                {[...phones, ...emails].map((value, valueIndex) => (
                  <span key={`v${valueIndex}`} className="block text-xs">
                    {value}
                  </span>
                ))}
                {/* Only http(s) addresses become links; anything else (javascript:…) stays text. */}
                {urls.map((url, urlIndex) => (
                  <span key={`u${urlIndex}`} className="block text-xs">
                    <LinkifiedText text={url} />
                  </span>
                ))}
              </li>
            );
          })}
        </ul>
      );
    }
  }
  if (type === "unsupported" || (!body && type !== "text")) {
    return (
      <p className="italic text-slate-600">
        Unsupported message ({type}). The original is kept for reference.
      </p>
    );
  }
  return <LinkifiedText text={body ?? ""} />;
}
