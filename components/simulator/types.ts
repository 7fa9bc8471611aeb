import type { Jsonify } from "@/lib/client/api";
import type { SimulatorMessage } from "@/lib/db/schema";

export type { SimulatorFailure } from "@/lib/whatsapp/simulator/control";
export type { SimulatorInbox } from "@/lib/whatsapp/simulator/customer";

/** A message on the simulated phone, as the simulator API returns it. */
export type ChatMessage = Jsonify<SimulatorMessage>;
