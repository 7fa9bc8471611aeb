import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ibanValid, luhnValid, maskCharacter, maskSecrets } from "@/lib/policy/card-masking";

/** Appends the digit that makes `prefix` pass the Luhn check. */
function withLuhnDigit(prefix: string): string {
  for (let digit = 0; digit <= 9; digit++) if (luhnValid(`${prefix}${digit}`)) return `${prefix}${digit}`;
  throw new Error("unreachable: one of ten digits always completes the check");
}

// Published test numbers of the card networks (and Mir numbers completed with their check digit).
const testCards: Array<[network: string, number: string]> = [
  ["Visa", "4242 4242 4242 4242"],
  ["Visa", "4111-1111-1111-1111"],
  ["Visa", "4012888888881881"],
  ["Visa (13 digits)", "4222222222222"],
  ["Mastercard", "5555 5555 5555 4444"],
  ["Mastercard", "5105 1051 0510 5100"],
  ["Mastercard 2-series", "2223 0031 2200 3222"],
  ["American Express", "3782 822463 10005"],
  ["American Express", "371449635398431"],
  ["Mir", "2200 0000 0000 0004"],
  ["Mir", withLuhnDigit("220070000000000")],
  ["Mir (19 digits)", withLuhnDigit("220220220220220220")],
  ["Diners Club (14 digits)", "3056 930902 5904"],
  ["UnionPay", "6200 0000 0000 0005"],
];

describe("luhnValid", () => {
  it.each(testCards)("accepts the %s test card %s", (_network, number) => {
    expect(luhnValid(number.replace(/\D/g, ""))).toBe(true);
  });

  it.each(["4242424242424241", "1000234567890123", "79123456789", "", "4242 4242", "42a2"])(
    "rejects %j",
    (value) => {
      expect(luhnValid(value)).toBe(false);
    },
  );
});

describe("maskSecrets", () => {
  it.each(testCards)("masks a %s card but its last four digits", (_network, number) => {
    const { text, findings } = maskSecrets(`My card: ${number}, thanks`);
    const masked = number.slice(0, -4).replace(/\d/g, maskCharacter) + number.slice(-4);
    expect(text).toBe(`My card: ${masked}, thanks`);
    expect(findings).toEqual([
      { kind: "card_number", index: 9, length: number.length, last4: number.replace(/\D/g, "").slice(-4) },
    ]);
  });

  it.each<[label: string, input: string, output: string]>([
    ["keeps the grouping with spaces", "4242 4242 4242 4242", "•••• •••• •••• 4242"],
    ["keeps dashes", "card 5555-5555-5555-4444.", "card ••••-••••-••••-4444."],
    ["masks digits written together", "4242424242424242", "••••••••••••4242"],
    [
      "masks two cards in one message",
      "old 4242424242424242 new 5555 5555 5555 4444",
      "old ••••••••••••4242 new •••• •••• •••• 4444",
    ],
    [
      "masks a card written right after a phone number",
      "+7 912 345 67 89 4242 4242 4242 4242",
      "+7 912 345 67 89 •••• •••• •••• 4242",
    ],
    ["leaves an unlabelled CVV after the card", "4242424242424242 123", "••••••••••••4242 123"],
    [
      "masks a card in Russian text",
      "Номер карты 2200 0000 0000 0004, срок 12/27",
      "Номер карты •••• •••• •••• 0004, срок 12/27",
    ],
    [
      "masks a card and its labelled CVV",
      "4242 4242 4242 4242 exp 12/27 cvv 123",
      "•••• •••• •••• 4242 exp 12/27 cvv •••",
    ],
    ["masks a CVC with a colon", "CVC: 123", "CVC: •••"],
    ["masks a cvv-код", "cvv-код 123", "cvv-код •••"],
    ["masks a CVV2 written with 'is'", "my CVV2 is 4567", "my CVV2 is ••••"],
    ["masks a PIN", "PIN 4321", "PIN ••••"],
    ["masks a пин-код", "пин-код: 1234", "пин-код: ••••"],
    ["masks a code from an SMS", "код из смс 482913", "код из смс ••••••"],
    ["masks an OTP", "OTP is 123456", "OTP is ••••••"],
    [
      "masks an IBAN but its last four characters",
      "IBAN GB82 WEST 1234 5698 7654 32 please",
      "IBAN •••• •••• •••• •••• ••54 32 please",
    ],
    ["masks an IBAN written together", "DE89370400440532013000", "••••••••••••••••••3000"],
  ])("%s", (_label, input, output) => {
    expect(maskSecrets(input).text).toBe(output);
  });

  it.each<[label: string, input: string]>([
    ["a card number failing the Luhn check", "4242 4242 4242 4241"],
    ["an order number", "Order #1000234567890123 has not arrived"],
    ["a short order number", "Заказ № 100023456"],
    ["a Russian mobile number", "+7 912 345-67-89"],
    ["a Russian number with the trunk prefix", "8 (912) 345-67-89"],
    ["a US number", "+1 (555) 010-0001"],
    ["a free-phone number", "8 800 555 35 35"],
    ["two phone numbers", "+7 912 345 67 89, +7 912 345 67 88"],
    ["a number too long to be a card", "12345678901234567890123"],
    ["twelve digits", "424242424242"],
    ["a number made of one digit repeated", "0000 0000 0000 0000"],
    ["a date and an amount", "2025-01-15: 1 000 000 ₽"],
    ["a CVV-like number without a label", "I'll be there at 1230"],
    ["a PIN label without digits", "What's a PIN?"],
    ["an IBAN with a wrong check digit", "GB83 WEST 1234 5698 7654 32"],
    ["an empty message", ""],
  ])("leaves %s intact", (_label, input) => {
    expect(maskSecrets(input)).toEqual({ text: input, findings: [] });
  });

  it("reports where each secret was, in the order they appear", () => {
    const input = "cvv 123 and card 4242424242424242";
    expect(maskSecrets(input).findings).toEqual([
      { kind: "cvv", index: 4, length: 3 },
      { kind: "card_number", index: 17, length: 16, last4: "4242" },
    ]);
  });
});

describe("maskSecrets properties", () => {
  const separator = fc.constantFrom(" ", "-", "\u00A0");
  const luhnCard = fc
    .integer({ min: 13, max: 19 })
    .chain((length) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: length - 1, maxLength: length - 1 }),
    )
    .filter((prefix) => !/^(\d)\1*$/.test(prefix))
    .map((prefix) => withLuhnDigit(prefix));
  const groupedCard = fc.tuple(luhnCard, fc.constantFrom(4, 6, 19), separator).map(([digits, size, sep]) => ({
    digits,
    written: (digits.match(new RegExp(`.{1,${size}}`, "g")) ?? []).join(sep),
  }));
  const prose = fc.string({ unit: fc.constantFrom(..."abc XYZ.,!?\nабв"), maxLength: 15 });
  const digitHeavy = fc.string({
    unit: fc.constantFrom(..."0123456789012345678901234 -a.\n"),
    maxLength: 80,
  });

  it("masks every Luhn-valid card in prose, leaving exactly its last four digits", () => {
    fc.assert(
      fc.property(prose, groupedCard, prose, (before, card, after) => {
        const input = `${before} ${card.written} ${after}`;
        const { text } = maskSecrets(input);
        const region = text.slice(before.length + 1, before.length + 1 + card.written.length);
        expect(region.replace(/\D/g, "")).toBe(card.digits.slice(-4));
      }),
    );
  });

  it("never leaves a Luhn-valid run of 13 to 19 digits visible", () => {
    fc.assert(
      fc.property(digitHeavy, (input) => {
        for (const run of maskSecrets(input).text.match(/\d+/g) ?? []) {
          const isCardLike = run.length >= 13 && run.length <= 19 && !/^(\d)\1*$/.test(run);
          expect(isCardLike && luhnValid(run)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every character's position and changes only letters and digits into dots", () => {
    fc.assert(
      fc.property(fc.oneof(digitHeavy, fc.string()), (input) => {
        const { text } = maskSecrets(input);
        expect(text).toHaveLength(input.length);
        for (let index = 0; index < input.length; index++) {
          if (text[index] !== input[index]) {
            expect(text[index]).toBe(maskCharacter);
            expect(input[index]).toMatch(/[\p{L}\p{N}]/u);
          }
        }
      }),
    );
  });

  it("changes nothing when masking twice", () => {
    fc.assert(
      fc.property(digitHeavy, (input) => {
        const once = maskSecrets(input).text;
        expect(maskSecrets(once).text).toBe(once);
      }),
    );
  });
});

describe("ibanValid", () => {
  it("checks the mod-97 digits", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(ibanValid("GB83 WEST 1234 5698 7654 32")).toBe(false);
    expect(ibanValid("not an iban")).toBe(false);
  });
});
