import { createServer } from "node:http";
import next from "next";
import { authSecret, encryptionKeyMaterial } from "@/lib/auth/keys";
import { bootDatabase, StartupError } from "@/lib/db/boot";
import { EnvError, getEnv } from "@/lib/env";
import { CLIENT_IP_HEADER, clientIpOfSocket } from "@/lib/http/client-ip";
import { applyBaseSecurityHeaders } from "@/lib/http/security-headers";
import { answerWebhookDirectly, WEBHOOK_PATH } from "@/lib/http/whatsapp-webhook";
import { describeError, log } from "@/lib/log";
import { setRealtimeServer } from "@/lib/realtime/publish";
import { attachRedisAdapter, redactRedisUrl } from "@/lib/realtime/redis-adapter";
import { createRealtimeServer } from "@/lib/realtime/server";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { startWorkers } from "@/lib/workers";

function checkSecrets() {
  authSecret();
  encryptionKeyMaterial();
}

// One process, three faces: the Next.js handler, Socket.IO on the same port, and the workers.
async function main() {
  const env = getEnv();
  // Production refuses to start without its secrets rather than fail at the first sign-in. In
  // development they are generated into DATA_DIR, so there they are read after the database
  // has checked that DATA_DIR is writable.
  if (env.isProduction) checkSecrets();
  const database = await bootDatabase();
  checkSecrets();
  // Production refuses to start without the WhatsApp secrets rather than fail at the first webhook.
  const whatsapp = whatsappConfig();
  if (env.isProduction && whatsapp.mode === "simulator" && !whatsapp.simulatorEnabled) {
    log.warn("No WHATSAPP_ACCESS_TOKEN and WHATSAPP_MODE is not simulator: messages cannot be sent.");
  }

  const app = next({ dev: !env.isProduction, hostname: "localhost", port: env.port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((request, response) => {
    // nosniff, Referrer-Policy and X-Frame-Options on every answer, Next's or the webhook's; the
    // Content-Security-Policy of pages comes from proxy.ts, which knows the nonce.
    applyBaseSecurityHeaders(response);
    // Route handlers can't see the socket; they read the client address from this header, which
    // is always ours: whatever a client sent under that name is replaced.
    const forwardedFor = request.headers["x-forwarded-for"];
    const ip = clientIpOfSocket(
      request.socket.remoteAddress,
      Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
    );
    delete request.headers[CLIENT_IP_HEADER];
    if (ip) request.headers[CLIENT_IP_HEADER] = ip;
    // Meta's deliveries, the busiest path, skip Next's router (same verb as the route handler).
    if (request.method === "POST" && request.url?.split("?")[0] === WEBHOOK_PATH) {
      answerWebhookDirectly(request, response, ip).catch((error: unknown) => {
        log.error("webhook request failed", describeError(error));
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    handle(request, response).catch((error: unknown) => {
      log.error("request failed", { url: request.url, ...describeError(error) });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  // Keep idle keep-alive connections longer than a load balancer's (60 s is common): the side that
  // closes first must be the client, or a request sent as the server closes is reset.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
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
  const workers = env.workersEnabled ? startWorkers({ db: database.db }) : undefined;
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
    // Stop the workers (an unfinished send is retried after its lease), stop accepting, let
    // in-flight requests finish, then close sockets, Next and the database.
    await workers?.stop();
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    // Sends the inbox events still waiting for their frame, then publishes nothing more.
    setRealtimeServer(undefined);
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    await closed;
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
