import { getDatabaseHandle } from "@/lib/db";

export interface HealthReport {
  status: "ok" | "error";
  db: "ok" | "down";
}

/** Whether this instance can serve: the database answers a trivial query within two seconds. */
export async function checkHealth(): Promise<HealthReport> {
  try {
    const handle = await getDatabaseHandle();
    await handle.ping(2000);
    return { status: "ok", db: "ok" };
  } catch {
    return { status: "error", db: "down" };
  }
}
