import type { TemplateDefinition } from "../templates";

/**
 * The templates of the simulator's WhatsApp Business Account, as Meta lists them. The demo seed
 * records the first three; "Sync from WhatsApp" brings in the rest.
 */
export const simulatorTemplateCatalog: TemplateDefinition[] = [
  {
    id: "5550000000001",
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    status: "APPROVED",
    parameter_format: "NAMED",
    components: [
      {
        type: "BODY",
        text: "Hello {{customer_name}}, here is an update on your order {{order_number}}: {{order_status}}. Reply to this message if you have any questions.",
      },
    ],
  },
  {
    id: "5550000000002",
    name: "follow_up",
    language: "en_US",
    category: "UTILITY",
    status: "APPROVED",
    parameter_format: "NAMED",
    components: [
      {
        type: "BODY",
        text: "Hello {{customer_name}}, we are following up on your recent conversation with us. Is there anything else we can help you with? Simply reply to this message.",
      },
    ],
  },
  {
    id: "5550000000003",
    name: "seasonal_offer",
    language: "en_US",
    category: "MARKETING",
    status: "PENDING",
    parameter_format: "NAMED",
    components: [
      {
        type: "BODY",
        text: "Hello {{customer_name}}, our seasonal offer is here: {{offer}}. Reply STOP to opt out of offers.",
      },
    ],
  },
  {
    id: "5550000000004",
    name: "appointment_reminder",
    language: "en_US",
    category: "UTILITY",
    status: "APPROVED",
    parameter_format: "NAMED",
    components: [
      { type: "HEADER", format: "TEXT", text: "Appointment reminder" },
      {
        type: "BODY",
        text: "Hello {{customer_name}}, this is a reminder of your appointment on {{date}} at {{time}}. Reply to this message if you need to change it.",
      },
      { type: "FOOTER", text: "Thank you for choosing us." },
    ],
  },
];
