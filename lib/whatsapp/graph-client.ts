import { z } from "zod";
import { isRetryableWhatsAppError } from "./errors";

/**
 * The WhatsApp Cloud API (Graph API) client: one small function per call Parley makes. It never
 * throws for what the network or Meta do; every call resolves to a result the caller can act on
 * (retry, give up with a reason, or use the value).
 */

export interface GraphFailure {
  ok: false;
  /** Worth trying again later (timeouts, 5xx, throttling). */
  retryable: boolean;
  code?: number;
  httpStatus?: number;
  /** Parley itself declined to make the request (an untrusted media URL or a redirect): never retried. */
  refused?: boolean;
  /** Meta's message, or ours when Meta never answered. */
  title: string;
  detail?: string;
}
export type GraphResult<T> = { ok: true; value: T } | GraphFailure;

export interface GraphClientOptions {
  /** Graph API root without the version: https://graph.facebook.com, or the simulator's. */
  baseUrl: string;
  /** Pinned API version, e.g. v23.0. */
  version: string;
  accessToken: string | undefined;
  /** Per request; a request that takes longer is abandoned and counts as retryable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.coerce.number().int().optional(),
    error_subcode: z.coerce.number().int().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
  }),
});

const sendResponseSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

const mediaInfoSchema = z.object({
  url: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  file_size: z.coerce.number().optional(),
  id: z.string().optional(),
});
export type GraphMediaInfo = z.infer<typeof mediaInfoSchema>;

const uploadResponseSchema = z.object({ id: z.string().min(1) });

const templatePageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z
    .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

/** Hosts Meta serves media from; the simulator's own origin is trusted separately. */
const metaMediaHosts = ["fbsbx.com", "facebook.com", "fbcdn.net", "whatsapp.net"];

export type GraphClient = ReturnType<typeof createGraphClient>;

export function createGraphClient(options: GraphClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const root = `${options.baseUrl.replace(/\/+$/, "")}/${options.version}`;
  const baseOrigin = new URL(options.baseUrl).origin;

  function notConfigured(): GraphFailure {
    return {
      ok: false,
      retryable: false,
      title: "WhatsApp is not configured: set WHATSAPP_ACCESS_TOKEN, or run with WHATSAPP_MODE=simulator.",
    };
  }

  function networkFailure(error: unknown): GraphFailure {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      retryable: true,
      title: timedOut
        ? `WhatsApp did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}.`
        : "Parley could not reach WhatsApp.",
      detail: error instanceof Error ? error.message : String(error),
    };
  }

  function failureFromResponse(status: number, body: unknown): GraphFailure {
    const parsed = graphErrorSchema.safeParse(body);
    const error = parsed.success ? parsed.data.error : undefined;
    return {
      ok: false,
      retryable: isRetryableWhatsAppError(error?.code, status),
      code: error?.code,
      httpStatus: status,
      title: error?.message ?? `WhatsApp answered HTTP ${status}.`,
      detail: error?.error_data?.details ?? error?.error_user_msg,
    };
  }

  async function request(
    method: "GET" | "POST",
    path: string,
    init: { json?: unknown; form?: FormData; idempotencyKey?: string } = {},
  ): Promise<GraphResult<unknown>> {
    if (!options.accessToken) return notConfigured();
    const headers: Record<string, string> = { authorization: `Bearer ${options.accessToken}` };
    if (init.json !== undefined) headers["content-type"] = "application/json";
    // Meta ignores it; the simulator uses it to record a retried send once.
    if (init.idempotencyKey) headers["idempotency-key"] = init.idempotencyKey;
    try {
      const response = await fetchImpl(`${root}/${path}`, {
        method,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === "" ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = undefined;
      }
      if (!response.ok) return failureFromResponse(response.status, body);
      return { ok: true, value: body };
    } catch (error) {
      return networkFailure(error);
    }
  }

  function parsed<T>(result: GraphResult<unknown>, schema: z.ZodType<T>, what: string): GraphResult<T> {
    if (!result.ok) return result;
    const value = schema.safeParse(result.value);
    if (value.success) return { ok: true, value: value.data };
    // Meta answered 2xx with something else: it may have acted, so this is not retried blindly.
    return { ok: false, retryable: false, title: `WhatsApp's answer to ${what} was not understood.` };
  }

  return {
    /** POST /{phone-number-id}/messages: text, template or media. Resolves to the new wamid. */
    async sendMessage(
      phoneNumberId: string,
      body: Record<string, unknown>,
      { idempotencyKey }: { idempotencyKey?: string } = {},
    ): Promise<GraphResult<{ wamid: string }>> {
      const result = parsed(
        await request("POST", `${encodeURIComponent(phoneNumberId)}/messages`, {
          json: body,
          idempotencyKey,
        }),
        sendResponseSchema,
        "a send",
      );
      return result.ok ? { ok: true, value: { wamid: result.value.messages[0]?.id ?? "" } } : result;
    },

    /** Marks an incoming message (and the ones before it) as read; optionally shows "typing…". */
    async markRead(
      phoneNumberId: string,
      wamid: string,
      { typing = false }: { typing?: boolean } = {},
    ): Promise<GraphResult<null>> {
      const result = await request("POST", `${encodeURIComponent(phoneNumberId)}/messages`, {
        json: markReadRequest(wamid, typing),
      });
      return result.ok ? { ok: true, value: null } : result;
    },

    /** GET /{media-id}: a short-lived download URL (media ids expire after 7 days). */
    async getMedia(mediaId: string): Promise<GraphResult<GraphMediaInfo>> {
      return parsed(await request("GET", encodeURIComponent(mediaId)), mediaInfoSchema, "a media lookup");
    },

    /**
     * Opens a media download. Only URLs the Graph API returned are passed here; they must be https
     * on Meta's hosts (or the configured base URL's own origin, for the simulator), and redirects
     * are never followed, so the bearer token cannot be sent anywhere else.
     */
    async downloadMedia(url: string): Promise<GraphResult<Response>> {
      if (!options.accessToken) return notConfigured();
      if (!isTrustedMediaUrl(url, baseOrigin)) {
        return {
          ok: false,
          retryable: false,
          refused: true,
          title: "WhatsApp returned a media URL Parley does not trust.",
        };
      }
      try {
        const response = await fetchImpl(url, {
          headers: { authorization: `Bearer ${options.accessToken}` },
          signal: AbortSignal.timeout(timeoutMs * 4),
          redirect: "manual",
        });
        if (response.status >= 300 && response.status < 400) {
          await response.body?.cancel();
          return {
            ok: false,
            retryable: false,
            refused: true,
            httpStatus: response.status,
            title: "The media download redirected elsewhere.",
          };
        }
        if (!response.ok) {
          const text = await response.text().catch(() => "");
          let body: unknown;
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            body = undefined;
          }
          return failureFromResponse(response.status, body);
        }
        return { ok: true, value: response };
      } catch (error) {
        return networkFailure(error);
      }
    },

    /**
     * GET /{waba-id}/message_templates, every page: Meta's template definitions, unparsed (the
     * caller reads each on its own so one odd template does not hide the others).
     */
    async listTemplates(
      wabaId: string,
      { maxPages = 20 }: { maxPages?: number } = {},
    ): Promise<GraphResult<unknown[]>> {
      const all: unknown[] = [];
      let after: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const query = new URLSearchParams({
          fields: "id,name,language,status,category,parameter_format,components",
          limit: "100",
          ...(after ? { after } : {}),
        });
        const result = parsed(
          await request("GET", `${encodeURIComponent(wabaId)}/message_templates?${query.toString()}`),
          templatePageSchema,
          "a template list",
        );
        if (!result.ok) return result;
        all.push(...result.value.data);
        after = result.value.paging?.next ? result.value.paging.cursors?.after : undefined;
        if (!after) break;
      }
      return { ok: true, value: all };
    },

    /** POST /{phone-number-id}/media (multipart): uploads a file for sending; resolves to its media id. */
    async uploadMedia(
      phoneNumberId: string,
      file: Blob,
      { filename, mimeType }: { filename: string; mimeType: string },
    ): Promise<GraphResult<{ id: string }>> {
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", mimeType);
      form.set("file", new Blob([file], { type: mimeType }), filename);
      return parsed(
        await request("POST", `${encodeURIComponent(phoneNumberId)}/media`, { form }),
        uploadResponseSchema,
        "an upload",
      );
    },
  };
}

export function isTrustedMediaUrl(url: string, baseOrigin: string): boolean {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return false;
  }
  // Credentials in a URL are a disguise (https://lookaside.fbsbx.com@internal/), even on our own origin.
  if (parsedUrl.username || parsedUrl.password) return false;
  if (parsedUrl.origin === baseOrigin) return true;
  if (parsedUrl.protocol !== "https:") return false;
  const host = parsedUrl.hostname.toLowerCase();
  return metaMediaHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** Who a message goes to: the phone number when known, else the business-scoped user id. */
export function recipientFields(to: {
  waId?: string | null;
  userId?: string | null;
}): Record<string, string> {
  if (to.waId) return { to: /^\d+$/.test(to.waId) ? `+${to.waId}` : to.waId };
  if (to.userId) return { recipient: to.userId };
  throw new Error("a recipient needs a wa_id or a user id");
}

export function textMessageRequest(input: {
  to: { waId?: string | null; userId?: string | null };
  body: string;
  replyToWamid?: string | null;
}): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...recipientFields(input.to),
    ...(input.replyToWamid ? { context: { message_id: input.replyToWamid } } : {}),
    type: "text",
    // Link previews only when there is a link to preview.
    text: /https?:\/\//i.test(input.body) ? { preview_url: true, body: input.body } : { body: input.body },
  };
}

export function templateMessageRequest(input: {
  to: { waId?: string | null; userId?: string | null };
  name: string;
  language: string;
  parameterFormat: "named" | "positional";
  parameters: { name: string; value: string }[];
}): Record<string, unknown> {
  const parameters = input.parameters.map((parameter) =>
    input.parameterFormat === "named"
      ? { type: "text", parameter_name: parameter.name, text: parameter.value }
      : { type: "text", text: parameter.value },
  );
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...recipientFields(input.to),
    type: "template",
    template: {
      name: input.name,
      language: { code: input.language },
      ...(parameters.length > 0 ? { components: [{ type: "body", parameters }] } : {}),
    },
  };
}

export const outboundMediaTypes = ["image", "video", "audio", "document"] as const;
export type OutboundMediaType = (typeof outboundMediaTypes)[number];

export function mediaMessageRequest(input: {
  to: { waId?: string | null; userId?: string | null };
  type: OutboundMediaType;
  /** An https link WhatsApp fetches, or a media id from uploadMedia. */
  media: { link: string } | { id: string };
  caption?: string | null;
  filename?: string | null;
  replyToWamid?: string | null;
}): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...recipientFields(input.to),
    ...(input.replyToWamid ? { context: { message_id: input.replyToWamid } } : {}),
    type: input.type,
    [input.type]: {
      ...input.media,
      ...(input.caption && input.type !== "audio" ? { caption: input.caption } : {}),
      ...(input.filename && input.type === "document" ? { filename: input.filename } : {}),
    },
  };
}

export function markReadRequest(wamid: string, typing = false): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    status: "read",
    message_id: wamid,
    ...(typing ? { typing_indicator: { type: "text" } } : {}),
  };
}
