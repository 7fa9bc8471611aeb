import { expect } from "vitest";

// Vitest types asymmetric matchers as `any`; these keep them `unknown` inside typed object literals.
export const matching = (pattern: RegExp | string): unknown => expect.stringMatching(pattern);
export const containingText = (text: string): unknown => expect.stringContaining(text);
export const containing = (shape: Record<string, unknown>): unknown => expect.objectContaining(shape);
export const arrayWith = (items: unknown[]): unknown => expect.arrayContaining(items);
