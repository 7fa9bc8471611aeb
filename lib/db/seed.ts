import { count, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { onCustomerMessage } from "@/lib/domain/sla/clock";
import { simulatorTemplateCatalog } from "@/lib/whatsapp/simulator/template-catalog";
import { templateFromDefinition } from "@/lib/whatsapp/templates";
import type { Database } from "./client";
import {
  cannedReplies,
  consentEvents,
  contacts,
  conversations,
  inboxes,
  inboxMembers,
  inboxSlaSettings,
  messages,
  templates,
  users,
  type ConversationStatus,
  type MessageStatus,
  type NewMessage,
  type UserRole,
} from "./schema";

const SEED_LOCK_KEY = 7_340_222;

/** Demo sign-ins; only ever written to an empty development database. */
export const demoPassword = "parley-demo-password";
export const demoUsers: { name: string; email: string; role: UserRole; inboxes: ("support" | "sales")[] }[] =
  [
    { name: "Ada Admin", email: "admin@parley.test", role: "admin", inboxes: ["support", "sales"] },
    {
      name: "Sam Supervisor",
      email: "supervisor@parley.test",
      role: "supervisor",
      inboxes: ["support", "sales"],
    },
    { name: "Dana Agent", email: "dana@parley.test", role: "agent", inboxes: ["support", "sales"] },
    { name: "Lee Agent", email: "lee@parley.test", role: "agent", inboxes: ["support"] },
  ];

const demoInboxes = {
  support: {
    name: "Support",
    phoneNumberId: "100000000000001",
    displayPhoneNumber: "+1 555 010 0001",
    wabaId: "100000000000100",
  },
  sales: {
    name: "Sales",
    phoneNumberId: "100000000000002",
    displayPhoneNumber: "+1 555 010 0002",
    wabaId: "100000000000100",
  },
} as const;

const customerNames = [
  "Maria Garcia",
  "Oleg Petrov",
  "Aisha Bello",
  "Chen Wei",
  "Sofia Rossi",
  "James O'Connor",
  "Priya Sharma",
  "Lucas Silva",
  "Emma Müller",
  "Yuki Tanaka",
  "Fatima Zahra",
  "Noah Johnson",
  "Анна Смирнова",
  "Mateo López",
  "Chloé Martin",
  "Kwame Mensah",
  "Ingrid Hansen",
  "Omar Haddad",
  "Zoe Williams",
  "Ivan Kuznetsov",
  "Leila Ahmadi",
  "Tom Becker",
  "Nadia Novak",
  "Diego Fernández",
  "Grace Kim",
  "Ali Yilmaz",
  "Hana Suzuki",
  "Pedro Santos",
  "Elena Popescu",
  "Samuel Adeyemi",
  "Julia Kowalska",
  "Marco Bianchi",
  "Rosa Díaz",
  "Ethan Brown",
  "Mei Lin",
  "Ахмед Алиев",
];

const customerLines = [
  "Hi! Where is my order #4821? It was due yesterday.",
  "Hello, can I change the delivery address for my order?",
  "Do you ship to Lisbon?",
  "The blender I received does not turn on 😕",
  "Здравствуйте! Можно вернуть товар без чека?",
  "Is the blue jacket available in size M?",
  "Thanks, that solved it!",
  "I was charged twice for the same order.",
  "What are your opening hours on Saturday?",
  "Can I get an invoice for my company?",
];

const agentLines = [
  "Hello, thank you for reaching out. Let me check that for you right away.",
  "Thank you for your patience. Your order is on its way and should arrive tomorrow.",
  "I'm sorry for the trouble. I've arranged a replacement at no cost to you.",
  "You're welcome! Is there anything else I can help you with today?",
];

/** Courteous, professional answers for the situations agents meet every day. */
export const demoCannedReplies: { shortcut: string; title: string; body: string }[] = [
  {
    shortcut: "greeting",
    title: "Greeting",
    body: "Hello {{contact.first_name}}, thank you for contacting {{business.name}}. My name is {{agent.first_name}} and I will be glad to help you today.",
  },
  {
    shortcut: "order-status",
    title: "Order status",
    body: "Thank you for your patience, {{contact.first_name}}. I have checked your order {{order.number}}: it is {{order.status}}. I will keep an eye on it and let you know if anything changes.",
  },
  {
    shortcut: "apology",
    title: "Apology",
    body: "I am sorry for the inconvenience this has caused, {{contact.first_name}}. I understand how frustrating it is, and I will do my best to put it right as quickly as possible.",
  },
  {
    shortcut: "handover",
    title: "Handing over to a colleague",
    body: "Thank you, {{contact.first_name}}. I am passing your conversation to a colleague who specialises in this; they will continue right here shortly, and you will not need to repeat anything.",
  },
  {
    shortcut: "off-hours",
    title: "Outside business hours",
    body: "Thank you for your message. Our team is available {{business.hours}}. We will reply as soon as we are back on the next business day.",
  },
  {
    shortcut: "closing",
    title: "Closing",
    body: "Thank you for contacting {{business.name}}, {{contact.first_name}}. If there is anything else we can help with, simply reply to this message. Have a lovely day!",
  },
];

/** The demo numbers' WhatsApp templates (the rest of the simulated account's arrive by sync). */
export const demoTemplates = simulatorTemplateCatalog
  .filter((definition) => ["order_update", "follow_up", "seasonal_offer"].includes(definition.name))
  .map((definition) => {
    const imported = templateFromDefinition(definition);
    if (!imported.ok) throw new Error(`demo template ${imported.reason}`);
    return imported.template;
  });

/**
 * How the demo customers agreed to hear from us, as the ledger records it: every one opted in to
 * service messages (order updates, replies) somewhere, and some also to marketing. Without an
 * opt-in on record nothing but a reply within the 24-hour window could reach them.
 */
const demoServiceOptIns = [
  {
    source: "web_form",
    evidence:
      'Checkout, step 3: ticked "Send me order and delivery updates on WhatsApp" (shop.example.com/checkout).',
  },
  {
    source: "event_registration",
    evidence:
      'Spring Home Fair registration desk: signed "Yes, you may contact me on WhatsApp about my order and service requests."',
  },
  {
    source: "web_form",
    evidence: 'Account settings: turned on "Order updates and support on WhatsApp".',
  },
] as const;

const demoMarketingOptIn = {
  source: "web_form",
  evidence:
    'Newsletter sign-up: ticked "Also send me offers and new arrivals on WhatsApp (about two a month; reply STOP to end)."',
} as const;

/** Small deterministic generator so every fresh demo database looks the same. */
function sequence(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export interface SeedResult {
  seeded: boolean;
}

/** Seeds demo data into an empty database; does nothing when any user exists. */
export async function seedDemoData(db: Database, now: Date = new Date()): Promise<SeedResult> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return { seeded: false };

  const passwordHash = await hashPassword(demoPassword);
  const random = sequence(42);
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  return db.transaction(async (tx) => {
    // Instances starting together take turns here; only the first finds the database empty.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const [again] = await tx.select({ n: count() }).from(users);
    if ((again?.n ?? 0) > 0) return { seeded: false };

    const insertedUsers = await tx
      .insert(users)
      .values(demoUsers.map((u) => ({ name: u.name, email: u.email, role: u.role, passwordHash })))
      .returning({ id: users.id, email: users.email });
    const userId = (email: string) => insertedUsers.find((u) => u.email === email)?.id ?? "";

    const [support, sales] = await tx
      .insert(inboxes)
      .values([demoInboxes.support, demoInboxes.sales])
      .returning({ id: inboxes.id });
    if (!support || !sales) throw new Error("demo inboxes were not created");
    const inboxId = { support: support.id, sales: sales.id };

    await tx
      .insert(inboxMembers)
      .values(
        demoUsers.flatMap((u) =>
          u.inboxes.map((key) => ({ inboxId: inboxId[key], userId: userId(u.email) })),
        ),
      );

    // Support keeps the defaults (Mon–Fri 09:00–18:00, 24 business hours) with the off-hours reply
    // off until an admin turns it on, so what a demo (or a browser test) sees does not depend on the
    // hour. Sales promises 4 hours around the clock, which puts a breach and an at-risk customer on
    // the SLA board from the first start; its off-hours reply is on.
    await tx.insert(inboxSlaSettings).values([
      { inboxId: support.id, offHoursReplyEnabled: false },
      {
        inboxId: sales.id,
        policy: { firstResponseMinutes: 240, nextResponseMinutes: 240, clock: "calendar" },
        offHoursReplyEnabled: true,
      },
    ]);

    await tx.insert(cannedReplies).values(demoCannedReplies.map((reply) => ({ ...reply, inboxId: null })));
    await tx
      .insert(templates)
      .values(
        [support.id, sales.id].flatMap((inbox) =>
          demoTemplates.map((template) => ({ ...template, inboxId: inbox })),
        ),
      );

    const agentIds = [userId("dana@parley.test"), userId("lee@parley.test")];
    const statuses: ConversationStatus[] = ["open", "open", "open", "pending", "resolved"];

    for (const [index, name] of customerNames.entries()) {
      const inbox = index % 3 === 2 ? inboxId.sales : inboxId.support;
      const waId = `1555${String(2_000_000 + index * 7919).padStart(7, "0")}`;
      const [contact] = await tx
        .insert(contacts)
        .values({ inboxId: inbox, waId, phone: `+${waId}`, profileName: name })
        .returning({ id: contacts.id });
      if (!contact) throw new Error("demo contact was not created");

      const status = statuses[index % statuses.length] ?? "open";
      // The opt-ins came before the first message: a few days to a few weeks earlier.
      const optedInAt = minutesAgo(60 * 24 * (3 + (index % 20)));
      const service = demoServiceOptIns[index % demoServiceOptIns.length] ?? demoServiceOptIns[0];
      await tx.insert(consentEvents).values([
        { contactId: contact.id, purpose: "service", action: "opt_in", ...service, occurredAt: optedInAt },
        ...(index % 3 === 0
          ? [
              {
                contactId: contact.id,
                purpose: "marketing" as const,
                action: "opt_in" as const,
                ...demoMarketingOptIn,
                occurredAt: optedInAt,
              },
            ]
          : []),
      ]);
      // Open conversations are recent enough that their 24-hour window is still open; pending ones
      // wait on the customer and are old enough that only a template may reach them now.
      const startedMinutesAgo =
        status === "open"
          ? 20 + Math.floor(random() * 60 * 20)
          : status === "pending"
            ? 60 * 26 + Math.floor(random() * 60 * 20)
            : 20 + Math.floor(random() * 60 * 48);
      const turns = 1 + Math.floor(random() * 4);
      const businessSpokeLast = status !== "open" || random() < 0.3;
      const assigneeId = status === "open" && index % 4 === 0 ? null : (agentIds[index % 2] ?? null);

      const rows: Omit<NewMessage, "conversationId">[] = [];
      let at = startedMinutesAgo;
      for (let turn = 0; turn < turns; turn += 1) {
        const lastTurn = turn === turns - 1;
        rows.push({
          inboxId: inbox,
          direction: "inbound",
          authorKind: "contact",
          type: "text",
          body: customerLines[(index + turn) % customerLines.length] ?? "Hello",
          wamid: `wamid.demo.${index}.${turn}.in`,
          status: "received",
          createdAt: minutesAgo(at),
        });
        at -= 1 + Math.floor(random() * 10);
        if (!lastTurn || businessSpokeLast) {
          const outStatuses: MessageStatus[] = ["read", "delivered", "sent", "read", "failed"];
          const outStatus = outStatuses[(index + turn) % outStatuses.length] ?? "sent";
          rows.push({
            inboxId: inbox,
            direction: "outbound",
            authorKind: "agent",
            authorId: assigneeId ?? agentIds[0] ?? null,
            type: "text",
            body: agentLines[(index + turn) % agentLines.length] ?? "Thank you",
            wamid: `wamid.demo.${index}.${turn}.out`,
            status: outStatus,
            errorCode: outStatus === "failed" ? 131026 : null,
            errorTitle: outStatus === "failed" ? "Message undeliverable" : null,
            createdAt: minutesAgo(at),
          });
          at -= 1 + Math.floor(random() * 10);
        }
      }
      if (index % 6 === 1) {
        rows.push({
          inboxId: inbox,
          direction: "outbound",
          authorKind: "agent",
          authorId: agentIds[0] ?? null,
          type: "note",
          body: "Customer is a repeat buyer; offer free shipping if the delay continues.",
          status: "sent",
          isPrivateNote: true,
          createdAt: minutesAgo(Math.max(at, 1)),
        });
      }

      const visible = rows.filter((m) => !m.isPrivateNote);
      const last = rows.at(-1);
      const lastInbound = [...visible].reverse().find((m) => m.direction === "inbound");
      const lastOutbound = [...visible].reverse().find((m) => m.direction === "outbound");
      const lastVisible = visible.at(-1);
      const waiting = lastVisible?.direction === "inbound" && status !== "resolved";
      const [conversation] = await tx
        .insert(conversations)
        .values({
          inboxId: inbox,
          contactId: contact.id,
          status,
          assigneeId,
          lastInboundAt: lastInbound?.createdAt ?? null,
          lastOutboundAt: lastOutbound?.createdAt ?? null,
          lastMessageAt: last?.createdAt ?? now,
          lastMessagePreview: lastVisible?.body ?? null,
          windowExpiresAt: lastInbound?.createdAt
            ? new Date(lastInbound.createdAt.getTime() + 24 * 3_600_000)
            : null,
          waitingSince: waiting ? (lastInbound?.createdAt ?? null) : null,
          unreadCount: waiting ? 1 : 0,
          resolvedAt: status === "resolved" ? (last?.createdAt ?? now) : null,
          slaRepliedAt: lastOutbound?.createdAt ?? null,
          createdAt: minutesAgo(startedMinutesAgo),
        })
        .returning({ id: conversations.id });
      if (!conversation) throw new Error("demo conversation was not created");
      await tx.insert(messages).values(rows.map((m) => ({ ...m, conversationId: conversation.id })));
      // A customer waiting for an answer has a running response clock, as if the webhook had stored it.
      if (waiting && lastInbound?.createdAt) {
        await onCustomerMessage(tx, {
          conversationId: conversation.id,
          inboxId: inbox,
          arrivedAt: lastInbound.createdAt,
        });
      }
    }

    // Two Sales customers for the SLA board: one waiting past the 4-hour target, one close to it.
    const slaDemo = [
      {
        name: "Kofi Mensah",
        waId: "15553000001",
        minutes: 5 * 60 + 20,
        body: "Hello, I ordered the blue sofa two weeks ago. Any news on delivery?",
      },
      {
        name: "Elena Novak",
        waId: "15553000002",
        minutes: 3 * 60 + 10,
        body: "Hi! Can I still change the colour of my order?",
      },
    ];
    for (const demo of slaDemo) {
      const [contact] = await tx
        .insert(contacts)
        .values({ inboxId: sales.id, waId: demo.waId, phone: `+${demo.waId}`, profileName: demo.name })
        .returning({ id: contacts.id });
      if (!contact) throw new Error("demo contact was not created");
      await tx.insert(consentEvents).values({
        contactId: contact.id,
        purpose: "service",
        action: "opt_in",
        ...demoServiceOptIns[0],
        occurredAt: minutesAgo(60 * 24 * 10),
      });
      const arrivedAt = minutesAgo(demo.minutes);
      const [conversation] = await tx
        .insert(conversations)
        .values({
          inboxId: sales.id,
          contactId: contact.id,
          status: "open",
          lastInboundAt: arrivedAt,
          lastMessageAt: arrivedAt,
          lastMessagePreview: demo.body,
          windowExpiresAt: new Date(arrivedAt.getTime() + 24 * 3_600_000),
          waitingSince: arrivedAt,
          unreadCount: 1,
          createdAt: arrivedAt,
        })
        .returning({ id: conversations.id });
      if (!conversation) throw new Error("demo conversation was not created");
      await tx.insert(messages).values({
        conversationId: conversation.id,
        inboxId: sales.id,
        direction: "inbound",
        authorKind: "contact",
        type: "text",
        body: demo.body,
        wamid: `wamid.demo.sla.${demo.waId}`,
        status: "received",
        createdAt: arrivedAt,
      });
      await onCustomerMessage(tx, { conversationId: conversation.id, inboxId: sales.id, arrivedAt });
    }
    return { seeded: true };
  });
}
