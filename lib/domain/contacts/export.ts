import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { recordDataRequest } from "./data-requests";
import { personalDataSections } from "./personal-data";
import { exportContactInput, type ExportContactInput, type ExportFormat } from "./schemas";
import { findVisibleContact } from "./scope";

export interface ContactExport {
  format: ExportFormat;
  filename: string;
  contentType: string;
  body: string;
}

/**
 * Everything held about one contact (profile, conversations, messages, notes, media list and any
 * section added to personal-data.ts), as JSON or a readable HTML page; nothing of other contacts.
 * Recorded as a data request and audited.
 */
export async function exportContact({ ctx, input }: { ctx: Ctx; input: ExportContactInput }): Promise<ContactExport> {
  requirePermission(ctx.actor, "contacts.export");
  const data = exportContactInput.parse(input);
  const document = await inTransaction(ctx, async (tx) => {
    const contact = await findVisibleContact(tx, ctx.actor, data.contactId);
    const sections: Record<string, Record<string, unknown>[]> = {};
    for (const section of personalDataSections) {
      const rows = await section.collect(tx, contact);
      if (rows.length > 0 || section.name !== "traces") sections[section.name] = rows;
    }
    const counts = Object.fromEntries(Object.entries(sections).map(([name, rows]) => [name, rows.length]));
    await recordDataRequest(tx, ctx, {
      contactId: contact.id,
      kind: "export",
      reason: data.reason,
      details: { format: data.format, counts },
    });
    await recordAudit(tx, ctx, {
      action: "contact.exported",
      targetType: "contact",
      targetId: contact.id,
      details: { format: data.format, counts },
    });
    return { contactId: contact.id, exportedAt: ctx.now.toISOString(), ...sections };
  });

  const stamp = ctx.now.toISOString().slice(0, 10);
  if (data.format === "html") {
    return {
      format: "html",
      filename: `contact-${data.contactId}-${stamp}.html`,
      contentType: "text/html; charset=utf-8",
      body: renderExportHtml(document),
    };
  }
  return {
    format: "json",
    filename: `contact-${data.contactId}-${stamp}.json`,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(document, null, 2),
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return escapeHtml(typeof value === "string" ? value : JSON.stringify(value));
}

/** A plain, self-contained page the customer can open in any browser. */
export function renderExportHtml(document: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const section of personalDataSections) {
    const rows = document[section.name];
    if (!Array.isArray(rows)) continue;
    parts.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (rows.length === 0) {
      parts.push("<p>None.</p>");
      continue;
    }
    const columns = [...new Set(rows.flatMap((row: Record<string, unknown>) => Object.keys(row)))];
    parts.push(
      `<table><thead><tr>${columns.map((name) => `<th>${escapeHtml(name)}</th>`).join("")}</tr></thead><tbody>` +
        rows
          .map((row: Record<string, unknown>) => `<tr>${columns.map((name) => `<td>${cell(row[name])}</td>`).join("")}</tr>`)
          .join("") +
        "</tbody></table>",
    );
  }
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Your data</title>',
    "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style>",
    "</head><body>",
    "<h1>Everything we hold about you</h1>",
    `<p>Exported ${cell(document.exportedAt)}.</p>`,
    ...parts,
    "</body></html>",
  ].join("\n");
}
