/** The variables a canned reply may use; anything else is left for the agent to fill in. */
export const cannedReplyVariables = [
  "contact.name",
  "contact.first_name",
  "agent.name",
  "agent.first_name",
  "business.name",
  "business.hours",
] as const;
export type CannedReplyVariable = (typeof cannedReplyVariables)[number];

export type CannedReplyValues = Partial<Record<CannedReplyVariable, string | null | undefined>>;

/** A rendered reply as pieces, so the composer can highlight what is still empty. */
export type RenderedSegment = { kind: "text"; text: string } | { kind: "blank"; variable: string };

export interface RenderedReply {
  segments: RenderedSegment[];
  /** Variables with no value, in order of first appearance; the agent fills them before sending. */
  missing: string[];
  /** The text with blanks shown as `{{variable}}`, ready for the composer. */
  text: string;
}

const variablePattern = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/gi;

export function firstName(fullName: string | null | undefined): string | undefined {
  const first = fullName?.trim().split(/\s+/)[0];
  return first && first.length > 0 ? first : undefined;
}

/** Fills the known variables of `body`; unknown or empty ones become blanks. */
export function renderCannedReply(body: string, values: CannedReplyValues): RenderedReply {
  const lookup = new Map<string, string | null | undefined>(Object.entries(values));
  const segments: RenderedSegment[] = [];
  const missing: string[] = [];
  let cursor = 0;
  for (const match of body.matchAll(variablePattern)) {
    const start = match.index;
    if (start > cursor) segments.push({ kind: "text", text: body.slice(cursor, start) });
    const name = (match[1] ?? "").toLowerCase();
    const value = lookup.get(name)?.trim();
    if (value) {
      segments.push({ kind: "text", text: value });
    } else {
      segments.push({ kind: "blank", variable: name });
      if (!missing.includes(name)) missing.push(name);
    }
    cursor = start + match[0].length;
  }
  if (cursor < body.length) segments.push({ kind: "text", text: body.slice(cursor) });

  const merged: RenderedSegment[] = [];
  for (const segment of segments) {
    const previous = merged.at(-1);
    if (segment.kind === "text" && previous?.kind === "text") previous.text += segment.text;
    else merged.push(segment);
  }
  const text = merged.map((s) => (s.kind === "text" ? s.text : `{{${s.variable}}}`)).join("");
  return { segments: merged, missing, text };
}
