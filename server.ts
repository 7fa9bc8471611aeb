import { createServer } from "node:http";
import next from "next";
import { bootDatabase, StartupError } from "@/lib/db/boot";
import { EnvError, getEnv } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { setRealtimeServer } from "@/lib/realtime/publish";
import { attachRedisAdapter, redactRedisUrl } from "@/lib/realtime/redis-adapter";
import { createRealtimeServer } from "@/lib/realtime/server";
import { startWorkers } from "@/lib/workers";

// One process, three faces: the Next.js handler, Socket.IO on the same port, and the workers.
async function main() {
  const env = getEnv();
  const database = await bootDatabase();

  const app = next({ dev: !env.isProduction, hostname: "localhost", port: env.port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error("request failed", { url: request.url, ...describeError(error) });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const io = createRealtimeServer(httpServer, {
    allowedOrigins: [env.appUrl, `http://localhost:${env.port}`, `http://127.0.0.1:${env.port}`],
  });
  setRealtimeServer(io);
  let closeRedis: (() => Promise<void>) | undefined;
  if (env.redisUrl) {
    try {
      closeRedis = await attachRedisAdapter(io, env.redisUrl);
      log.info(`Socket.IO shares events through Redis at ${redactRedisUrl(env.redisUrl)}`);
    } catch (error) {
      await database.close().catch(() => {});
      throw new StartupError(
        `Cannot reach Redis at REDIS_URL: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(env.port, env.host, () => resolve());
  });
  log.info(`Parley is ready on ${env.appUrl} (${env.nodeEnv}, WhatsApp ${env.whatsapp.mode})`);
  const workers = env.workersEnabled ? startWorkers() : undefined;
  if (!workers) log.info("Workers are off in this instance (PARLEY_WORKERS=off).");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal} received: stopping.`);
    const force = setTimeout(() => {
      log.warn("Shutdown took over 10 s; closing remaining connections.");
      httpServer.closeAllConnections();
    }, 10_000);
    force.unref();
    // Stop accepting, let in-flight requests finish, then close sockets, Next and the database.
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    // Workers finish what they hold (and publish it) before sockets and the database close.
    await workers?.stop();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    await closed;
    setRealtimeServer(undefined);
    await closeRedis?.();
    await app.close().catch(() => {});
    await database
      .close()
      .catch((error: unknown) => log.warn("closing the database failed", describeError(error)));
    clearTimeout(force);
    log.info("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

process.on("unhandledRejection", (error) => log.error("unhandled rejection", describeError(error)));

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Parley could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
