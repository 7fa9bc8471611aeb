import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { describeError, log } from "@/lib/log";
import type { ParleyIo } from "./publish";

export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable Redis URL)";
  }
}

/**
 * With REDIS_URL, Socket.IO fans events out through Redis pub/sub so an event published on one
 * instance reaches browsers connected to any other. Returns a closer for graceful shutdown.
 */
export async function attachRedisAdapter(io: ParleyIo, url: string): Promise<() => Promise<void>> {
  const publisher = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
    },
  });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) {
    client.on("error", (error: unknown) => log.warn("redis connection problem", describeError(error)));
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within 5 s at ${redactRedisUrl(url)}`)),
      5000,
    );
  });
  try {
    await Promise.race([Promise.all([publisher.connect(), subscriber.connect()]), timeout]);
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  io.adapter(createAdapter(publisher, subscriber));
  return async () => {
    await Promise.allSettled([publisher.quit(), subscriber.quit()]);
  };
}
