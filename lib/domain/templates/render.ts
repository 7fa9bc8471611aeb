import type { TemplateParameterFormat } from "@/lib/db/schema";

/** `{{order_number}}` (named) or `{{1}}` (positional), as Meta writes template placeholders. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;

export type PlaceholderScan =
  { ok: true; format: TemplateParameterFormat; parameters: string[] } | { ok: false; problem: string };

/** The parameters a template body asks for, in order of first appearance. */
export function scanTemplatePlaceholders(body: string): PlaceholderScan {
  const names: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!names.includes(name)) names.push(name);
  }
  const positional = names.filter((name) => /^\d+$/.test(name));
  if (positional.length > 0 && positional.length < names.length) {
    return { ok: false, problem: "Use either named ({{name}}) or numbered ({{1}}) placeholders, not both." };
  }
  if (positional.length > 0) {
    const numbers = positional.map(Number).sort((a, b) => a - b);
    if (numbers.some((value, index) => value !== index + 1)) {
      return { ok: false, problem: "Numbered placeholders must run {{1}}, {{2}}, … without gaps." };
    }
    return { ok: true, format: "positional", parameters: numbers.map(String) };
  }
  if (names.some((name) => name !== name.toLowerCase())) {
    return { ok: false, problem: "Placeholder names use lower-case letters, digits and underscores." };
  }
  return { ok: true, format: "named", parameters: names };
}

/** The body as the customer will read it; every placeholder must have a value. */
export function renderTemplateBody(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
