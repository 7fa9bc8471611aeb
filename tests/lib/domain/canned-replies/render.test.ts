import { describe, expect, it } from "vitest";
import { firstName, renderCannedReply } from "@/lib/domain/canned-replies";

describe("renderCannedReply", () => {
  it("fills the known variables", () => {
    const rendered = renderCannedReply("Hello {{contact.first_name}}, I am {{agent.name}}.", {
      "contact.first_name": "Maria",
      "agent.name": "Dana Agent",
    });
    expect(rendered).toEqual({
      text: "Hello Maria, I am Dana Agent.",
      missing: [],
      segments: [{ kind: "text", text: "Hello Maria, I am Dana Agent." }],
    });
  });

  it("leaves empty and unknown variables as blanks for the agent to fill", () => {
    const rendered = renderCannedReply(
      "Order {{order.number}} for {{contact.first_name}} ({{ order.number }})",
      {
        "contact.first_name": "  ",
      },
    );
    expect(rendered.missing).toEqual(["order.number", "contact.first_name"]);
    expect(rendered.text).toBe("Order {{order.number}} for {{contact.first_name}} ({{order.number}})");
    expect(rendered.segments.filter((s) => s.kind === "blank")).toHaveLength(3);
  });

  it("keeps text without variables untouched, including braces that are not variables", () => {
    expect(renderCannedReply("Use {curly} and {{ not valid! }}", {}).text).toBe(
      "Use {curly} and {{ not valid! }}",
    );
  });

  it("does not interpret replacement patterns in values", () => {
    expect(renderCannedReply("Hi {{contact.name}}", { "contact.name": "$& $1 <b>x</b>" }).text).toBe(
      "Hi $& $1 <b>x</b>",
    );
  });
});

describe("firstName", () => {
  it("takes the first word of a name", () => {
    expect(firstName("  Анна Смирнова ")).toBe("Анна");
    expect(firstName("")).toBeUndefined();
    expect(firstName(null)).toBeUndefined();
  });
});
