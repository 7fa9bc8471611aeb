import {
  businessCalendarSchema,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from "@/lib/sla/calendar";
import { slaPolicySchema, type SlaPolicy, type SlaPolicyInput } from "@/lib/sla/policy";

/** A validated calendar from the fields a test cares about (Mon–Fri 09:00–18:00 unless given). */
export function calendar(input: BusinessCalendarInput): BusinessCalendar {
  return businessCalendarSchema.parse(input);
}

export function policy(input: SlaPolicyInput = {}): SlaPolicy {
  return slaPolicySchema.parse(input);
}

/** Every day of the week with the same intervals. */
export function everyDay(...intervals: [string, string][]): BusinessCalendarInput["weeklyHours"] {
  const day = intervals.map(([start, end]) => ({ start, end }));
  return {
    monday: day,
    tuesday: day,
    wednesday: day,
    thursday: day,
    friday: day,
    saturday: day,
    sunday: day,
  };
}

/** Monday to Friday with the same intervals. */
export function weekdaysOnly(...intervals: [string, string][]): BusinessCalendarInput["weeklyHours"] {
  const day = intervals.map(([start, end]) => ({ start, end }));
  return { monday: day, tuesday: day, wednesday: day, thursday: day, friday: day };
}

export function at(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`bad test instant ${iso}`);
  return date;
}
