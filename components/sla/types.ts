import type { Jsonify } from "@/lib/client/api";
import type { BreachForReview, SlaBoardItem, SlaReport } from "@/lib/domain/sla";

export type BoardItem = Jsonify<SlaBoardItem>;
export type BreachItem = Jsonify<BreachForReview>;
export type Report = Jsonify<SlaReport>;
export interface BoardData {
  now: string;
  nextAtRiskAt: string | null;
  atRisk: BoardItem[];
  breached: BoardItem[];
}
export interface BreachPage {
  items: BreachItem[];
  nextCursor: string | null;
}

export const reviewReasons = [
  { value: "staffing", label: "Staffing" },
  { value: "complex_case", label: "Complex case" },
  { value: "customer_delay", label: "Customer delay" },
  { value: "tool_problem", label: "Tool problem" },
  { value: "other", label: "Other" },
] as const;
