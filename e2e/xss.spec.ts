import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin, postSignedWebhook, recordCspViolations, signIn } from "./support";

/**
 * Stored XSS in a real browser: a corpus of hostile and unusual strings arrives through every field
 * a WhatsApp customer controls, as signed webhooks through the real route. The agent then opens the
 * inbox list, each conversation and its contact panel: no script may run (window.__xss is a probe
 * the payloads call, dialogs and console errors are counted) and each text must read exactly as sent.
 */

const corpus = JSON.parse(
  readFileSync(path.join(process.cwd(), "e2e", "fixtures", "xss-corpus.json"), "utf8"),
) as { payloads: string[] };
const payloads = [
  ...corpus.payloads,
  // An emoji across the 200-character preview cut, then a long tail.
  `${"A".repeat(199)}😀${"B".repeat(6_000)}`,
  `${"<b>long</b> 🧪 &amp; ".repeat(450)}end`,
];

const fields = [
  "profile name",
  "text",
  "image caption",
  "video caption",
  "document file name",
  "document caption",
  "location name",
  "location address",
  "contact card name",
  "contact card phone",
  "contact card email",
  "contact card url",
  "reaction emoji",
  "button reply title",
  "list reply title",
  "list reply description",
  "unsupported-type payload",
] as const;
type Field = (typeof fields)[number];

const SUPPORT_NUMBER = "100000000000001";
const UNSUPPORTED_TEXT = "Unsupported message (unsupported). The original is kept for reference.";

/** Mirrors lib/whatsapp/webhook-plan.ts previewOf: 200 characters, never half an emoji. */
function previewOf(text: string): string {
  if (text.length <= 200) return text;
  const cut = text.slice(0, 200);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** One customer per payload; every message of theirs carries it in a different field. */
function changeFor(index: number, p: string, run: string, at: number) {
  const waId = `${run}${String(index).padStart(4, "0")}`;
  const wamid = (kind: string) => `wamid.xss.${run}.${index}.${kind}`;
  let second = 0;
  const message = (kind: string, type: string, content: Record<string, unknown>) => ({
    from: waId,
    id: wamid(kind),
    timestamp: String(at + (second += 1)),
    type,
    ...content,
  });
  const media = (type: string, extra: Record<string, unknown>) => ({
    mime_type: type === "document" ? "application/pdf" : type === "video" ? "video/mp4" : "image/jpeg",
    sha256: "V5OPpLD/gEG6Xjg0MbmQDLFgcKsL+j5LfY4ny/pZ4MY=",
    id: `xss-${run}-${index}-${type}`,
    ...extra,
  });
  return {
    waId,
    change: {
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: { display_phone_number: "15550100001", phone_number_id: SUPPORT_NUMBER },
        contacts: [{ profile: { name: p }, wa_id: waId }],
        messages: [
          message("image", "image", { image: media("image", { caption: p }) }),
          message("video", "video", { video: media("video", { caption: p }) }),
          message("document", "document", { document: media("document", { caption: p, filename: p }) }),
          message("location", "location", {
            location: { latitude: 37.44221496582, longitude: -122.16165924072, name: p, address: p, url: p },
          }),
          message("contacts", "contacts", {
            contacts: [
              {
                name: { formatted_name: p, first_name: p },
                org: { company: p },
                phones: [{ phone: p, type: "MOBILE" }],
                emails: [{ email: p, type: "WORK" }],
                urls: [{ url: p, type: "WORK" }],
              },
            ],
          }),
          message("button", "interactive", {
            interactive: { type: "button_reply", button_reply: { id: "b1", title: p } },
          }),
          message("list", "interactive", {
            interactive: { type: "list_reply", list_reply: { id: "l1", title: p, description: p } },
          }),
          message("unsupported", "x_future_type", {
            x_future_type: { body: p, html: p, title: p },
            errors: [{ code: 131051, title: p, message: p, error_data: { details: p } }],
          }),
          message("reaction", "reaction", { reaction: { message_id: wamid("text"), emoji: p } }),
          // Last, so the conversation list previews it.
          message("text", "text", { text: { body: p } }),
        ],
      },
    },
  };
}

interface Rendered {
  conversationId: string;
  phoneDigits: string;
  header: string | null;
  panelName: string | null;
  /** Innermost elements whose text is exactly the value, per place. */
  counts: Record<string, number>;
  imageAlt: string | null;
  reactions: (string | null)[];
  unsupported: number;
}

/** Reads what the open conversation shows, element by element, for payload p. */
async function readOpenConversation(page: Page, p: string): Promise<Rendered> {
  return page.evaluate(
    ({ p, listReply, preview, unsupportedText }) => {
      const exact = (root: Element | null | undefined, value: string) =>
        root
          ? [root, ...Array.from(root.querySelectorAll("*"))].filter(
              (element) =>
                element.textContent === value &&
                !Array.from(element.children).some((child) => child.textContent === value),
            ).length
          : -1;
      const thread = document.querySelector('[data-testid="thread"]');
      const bubble = (type: string, nth = 0) =>
        thread?.querySelectorAll(`[data-direction="inbound"][data-message-type="${type}"]`)[nth];
      const row = document.querySelector('[role="option"][aria-selected="true"] [data-conversation-id]');
      const panel = document.querySelector('aside[aria-label="Contact details"]');
      const header = Array.from(document.querySelectorAll("header h2"));
      return {
        conversationId: row?.getAttribute("data-conversation-id") ?? "",
        phoneDigits: (panel?.querySelector("dd")?.textContent ?? "").replace(/\D/g, ""),
        header: header.at(-1)?.textContent ?? null,
        panelName: panel?.querySelector("h2")?.textContent ?? null,
        counts: {
          rowName: exact(row, p),
          rowPreview: exact(row, preview),
          text: exact(bubble("text"), p),
          image: exact(bubble("image"), p),
          video: exact(bubble("video"), p),
          document: exact(bubble("document"), p),
          location: exact(bubble("location"), p),
          contacts: exact(bubble("contacts"), p),
          button: exact(bubble("interactive", 0), p),
          list: exact(bubble("interactive", 1), listReply),
          unsupportedPayload: exact(bubble("unsupported"), p),
        },
        imageAlt: bubble("image")?.querySelector("img")?.getAttribute("alt") ?? null,
        reactions: Array.from(thread?.querySelectorAll('[aria-label="Reactions"]') ?? []).map(
          (element) => element.textContent,
        ),
        unsupported: exact(bubble("unsupported"), unsupportedText),
      };
    },
    { p, listReply: `${p} — ${p}`, preview: previewOf(p), unsupportedText: UNSUPPORTED_TEXT },
  );
}

/** Which fields of one conversation show the payload exactly where they should. */
function exactFields(r: Rendered, p: string): Record<Field, boolean> {
  const c = r.counts;
  const previewSameAsName = previewOf(p) === p;
  return {
    "profile name": r.header === p && r.panelName === p && c.rowName === (previewSameAsName ? 2 : 1),
    // The conversation list previews the last message, the text.
    text: c.text === 1 && (previewSameAsName || c.rowPreview === 1),
    "image caption": c.image === 1 && r.imageAlt === p,
    "video caption": c.video === 1,
    // File name and caption each in their own element: two exact matches.
    "document file name": c.document === 2,
    "document caption": c.document === 2,
    "location name": c.location === 2,
    "location address": c.location === 2,
    // Name, phone, email and url.
    "contact card name": c.contacts === 4,
    "contact card phone": c.contacts === 4,
    "contact card email": c.contacts === 4,
    "contact card url": c.contacts === 4,
    "reaction emoji": r.reactions.length === 1 && r.reactions[0] === p,
    "button reply title": c.button === 1,
    "list reply title": c.list === 1,
    "list reply description": c.list === 1,
    "unsupported-type payload": r.unsupported === 1 && c.unsupportedPayload === 0,
  };
}

test("hostile text in every customer-controlled field is shown as text, exactly, and never runs", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const scriptHits: string[] = [];
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  await page.exposeFunction("__xss", (tag: unknown) => {
    scriptHits.push(String(tag));
  });
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  const cspViolations = await recordCspViolations(page);

  await signIn(page, e2eAdmin("xss"));
  await expect(page.getByRole("listbox", { name: "Conversations" })).toBeVisible();
  // Counted from here: sign-in's own 401 (password step before the code) is not a payload's doing.
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const { url } = message.location();
    // Images point at /api/v1/media/…, and these media ids are made up: WhatsApp answers 404.
    if (url.includes("/api/v1/media/") || url.endsWith("/favicon.ico")) return;
    consoleErrors.push(`${message.text()} (${url})`);
  });

  // Delivered while the inbox is open, so the live path (socket → cache) renders them too.
  // New customers each run (a retry on the same server must not add to last run's threads); their
  // wa_ids share this prefix, which the search box then filters on.
  const run = `17${String(Date.now() % 1_000_000).padStart(6, "0")}`;
  const at = Math.floor(Date.now() / 1000) - 120;
  const byWaId = new Map<string, { index: number; p: string }>();
  const changes = payloads.map((p, index) => {
    const { waId, change } = changeFor(index, p, run, at);
    byWaId.set(waId, { index, p });
    return change;
  });
  for (let start = 0; start < changes.length; start += 11) {
    await postSignedWebhook(page.request, {
      object: "whatsapp_business_account",
      entry: [{ id: "102290129340398", changes: changes.slice(start, start + 11) }],
    });
  }

  // Only these customers (by their wa_id prefix), then the keyboard: j highlights, Enter opens.
  const searched = page.waitForResponse(
    (response) => response.url().includes("/api/v1/conversations?") && response.url().includes(`q=${run}`),
  );
  await page.getByLabel("Search conversations").fill(run);
  const listed = (await (await searched).json()) as { items: unknown[] };
  expect(listed.items).toHaveLength(payloads.length);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  const results = new Map<string, Record<Field, boolean>>();
  let previous = "";
  for (let step = 0; step < payloads.length; step += 1) {
    const incidentsBefore = scriptHits.length + dialogs.length + consoleErrors.length;
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    // Opened when the panel shows a new customer and the thread has their nine bubbles.
    let rendered: Rendered | undefined;
    await expect
      .poll(
        async () => {
          const digits = await page
            .getByRole("complementary", { name: "Contact details" })
            .locator("dd")
            .first()
            .textContent()
            .then((text) => (text ?? "").replace(/\D/g, ""))
            .catch(() => "");
          const customer = byWaId.get(digits);
          if (!customer || digits === previous) return "waiting";
          const bubbles = await page.getByTestId("thread").locator('[data-direction="inbound"]').count();
          if (bubbles !== 9) return `waiting for ${digits}: ${bubbles} bubbles`;
          rendered = await readOpenConversation(page, customer.p);
          return rendered.phoneDigits === digits ? "open" : "waiting";
        },
        { timeout: 10_000, message: `conversation ${step + 1} of ${payloads.length} opens` },
      )
      .toBe("open");
    if (!rendered) throw new Error("nothing rendered");
    previous = rendered.phoneDigits;
    const customer = byWaId.get(rendered.phoneDigits);
    if (!customer) throw new Error(`unknown customer ${rendered.phoneDigits}`);
    const exact = exactFields(rendered, customer.p);
    // Any script, dialog or error while this conversation opened counts against all its fields.
    if (incidentsBefore !== scriptHits.length + dialogs.length + consoleErrors.length) {
      for (const field of fields) exact[field] = false;
    }
    results.set(rendered.phoneDigits, exact);
  }
  // Give anything deferred (onerror of lazy images, toggles, focus handlers) a moment to fire.
  await page.waitForTimeout(500);

  // Nothing above broke the pages' Content-Security-Policy (sign-in, list, threads, socket updates).
  expect(cspViolations).toEqual([]);

  // The controls. The probe works: called from the test's side, it is seen.
  const incidents = scriptHits.length;
  const errorsBefore = consoleErrors.length;
  await page.evaluate(() => (window as unknown as { __xss(tag: string): void }).__xss("probe"));
  await expect.poll(() => scriptHits.slice(incidents)).toEqual(["probe"]);
  scriptHits.splice(incidents);
  // Markup that does get into the page as HTML runs nothing: an event handler, an inline script (in
  // a srcdoc frame, which inherits the page's policy) and a javascript: link lack this response's
  // nonce, so the policy refuses each and reports it. (A script element made by running code would
  // run: 'strict-dynamic' trusts what trusted code loads, so page.addScriptTag is no test of this.)
  const violationsBefore = cspViolations.length;
  await page.evaluate(() => {
    const probe = document.createElement("div");
    probe.innerHTML =
      '<img src="data:," onerror="window.__xss(\'handler\')">' +
      "<iframe srcdoc=\"<script>parent.__xss('inline script')</script>\"></iframe>" +
      '<a id="xss-control-link" href="javascript:window.__xss(\'javascript: link\')">link</a>';
    document.body.append(probe);
  });
  await page.locator("#xss-control-link").dispatchEvent("click");
  await expect
    .poll(() =>
      cspViolations
        .slice(violationsBefore)
        .map((text) => /^CSP violation: (\S+)/.exec(text)?.[1])
        .filter(Boolean)
        .sort(),
    )
    .toEqual(["script-src-attr", "script-src-elem", "script-src-elem"]);
  await page.waitForTimeout(300);
  expect(scriptHits.slice(incidents)).toEqual([]);
  consoleErrors.splice(errorsBefore);

  const tried = payloads.length * fields.length;
  const failures: string[] = [];
  for (const [waId, { index, p }] of byWaId) {
    const exact = results.get(waId);
    for (const field of fields) {
      if (!exact?.[field]) failures.push(`payload ${index} (${JSON.stringify(p.slice(0, 40))}) in ${field}`);
    }
  }
  const ranAnything = scriptHits.length + dialogs.length + consoleErrors.length > 0;
  const blocked = ranAnything ? 0 : tried - failures.length;
  console.log(`XSS: ${payloads.length} payloads × ${fields.length} fields tried, ${blocked} blocked`);

  expect({ scriptHits, dialogs, consoleErrors, failures }).toEqual({
    scriptHits: [],
    dialogs: [],
    consoleErrors: [],
    failures: [],
  });
  expect(blocked).toBe(tried);
});
