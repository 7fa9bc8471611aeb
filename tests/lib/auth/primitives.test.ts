import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "@/lib/auth/crypto";
import { generatePassword, passwordProblem } from "@/lib/auth/password-policy";
import { generateRecoveryCodes, hashRecoveryCode } from "@/lib/auth/recovery-codes";
import { generateTotpSecret, matchTotpStep, totpCodeAt, totpStepAt } from "@/lib/auth/totp";

describe("TOTP (RFC 6238, SHA-1, 30 s, 6 digits)", () => {
  it("produces the RFC 6238 test vector", () => {
    // Appendix B: the ASCII secret "12345678901234567890" at T = 59 s gives 94287082 (8 digits) → 287082.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(totpCodeAt(secret, new Date(59_000))).toBe("287082");
  });

  it("matches a code to its step, tolerating one step of clock drift and no more", () => {
    const secret = generateTotpSecret();
    const now = new Date("2026-11-20T12:00:10.000Z");
    const code = totpCodeAt(secret, now);
    expect(matchTotpStep(secret, code, now)).toBe(totpStepAt(now));
    expect(matchTotpStep(secret, code, new Date(now.getTime() + 30_000))).toBe(totpStepAt(now));
    expect(matchTotpStep(secret, code, new Date(now.getTime() + 90_000))).toBeNull();
    expect(matchTotpStep(secret, "12345", now)).toBeNull();
  });
});

describe("secrets at rest", () => {
  it("round-trips through AES-256-GCM and refuses a tampered value", () => {
    const sealed = encryptSecret("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(decryptSecret(sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(encryptSecret("JBSWY3DPEHPK3PXP")).not.toBe(sealed);
    const parts = sealed.split(".");
    const tampered = [...parts.slice(0, 3), `${parts[3]?.slice(0, -2) ?? ""}AA`].join(".");
    expect(() => decryptSecret(tampered)).toThrow();
  });
});

describe("password policy", () => {
  it("asks for at least 12 characters", () => {
    expect(passwordProblem("short")).toMatch(/at least 12 characters/);
  });

  it("refuses common passwords, also with digits or symbols around them, and repeats", () => {
    expect(passwordProblem("qwertyuiop12")).toMatch(/too common/);
    expect(passwordProblem("Password123456!")).toMatch(/too common/);
    expect(passwordProblem("abcabcabcabc")).toMatch(/too common/);
  });

  it("refuses a password containing the person's name or email", () => {
    expect(passwordProblem("robinsonville-2026", ["robinson@example.test"])).toMatch(/name or email/);
  });

  it("accepts a long unusual passphrase and its own generated passwords", () => {
    expect(passwordProblem("a long and unusual passphrase")).toBeUndefined();
    expect(passwordProblem(generatePassword())).toBeUndefined();
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes whose hash ignores case and dashes", () => {
    const codes = generateRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const first = codes[0] ?? "";
    expect(hashRecoveryCode(first.toUpperCase().replace("-", ""))).toBe(hashRecoveryCode(first));
  });
});
