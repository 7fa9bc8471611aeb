import type { Database } from "@/lib/db";
import { prunePendingStatuses } from "@/lib/domain/messages/delivery";
import { setOutboxNudge } from "@/lib/domain/outbox/nudge";
import { log } from "@/lib/log";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { defaultGraphClient } from "@/lib/whatsapp/default-client";
import { httpWebhookDeliverer } from "@/lib/whatsapp/simulator/delivery";
import { advanceSimulator } from "@/lib/whatsapp/simulator/ticker";
import { runRetention } from "@/lib/domain/privacy/retention";
import { getEnv } from "@/lib/env";
import { drainWebhookQueue, webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { startPollingWorker } from "./loop";
import { drainOutbox } from "./outbox-sender";
import { startSlaTicker } from "./sla-ticker";

const PENDING_STATUS_DAYS = 7;

export interface Workers {
  stop(): Promise<void>;
}

/**
 * The background work of this instance: the webhook queue (processed as events arrive, polled every
 * second), the outbox sender (polls every 400 ms, nudged after each commit that queued a send) and, in simulator mode, the simulated phones' status reports.
 */
export function startWorkers({ db }: { db: Database }): Workers {
  const config = whatsappConfig();
  const graph = defaultGraphClient();
  const sender = startPollingWorker({
    name: "outbox sender",
    intervalMs: 400,
    pass: () => drainOutbox({ db, graph, now: () => new Date() }),
  });
  setOutboxNudge(() => sender.nudge());
  // Acknowledged webhooks are processed as they arrive; this poll picks up what a crash (or a
  // stopped instance) left queued.
  const webhooks = startPollingWorker({
    name: "webhook queue",
    intervalMs: 1_000,
    pass: async () => {
      await drainWebhookQueue();
      return 0;
    },
  });

  const deliver = httpWebhookDeliverer(config.webhookUrl, config.appSecret);
  const simulator = config.simulatorEnabled
    ? startPollingWorker({
        name: "simulator",
        intervalMs: 300,
        pass: () => advanceSimulator({ db, now: () => new Date(), deliver }),
      })
    : undefined;
  // Statuses for sends Parley never made (another tool on the same number) are kept a week at most.
  const pruner = startPollingWorker({
    name: "pending status pruner",
    intervalMs: 3_600_000,
    pass: () => prunePendingStatuses(db, new Date(Date.now() - PENDING_STATUS_DAYS * 24 * 3_600_000)),
  });
  // Redacts resolved conversations past the retention period, in short batches; each run is recorded.
  const retention = startPollingWorker({
    name: "retention sweeper",
    intervalMs: getEnv().retentionIntervalMinutes * 60_000,
    pass: async () => {
      const run = await runRetention({ db, now: new Date() });
      if (run.error) log.error("retention sweep failed", { runId: run.id, error: run.error });
      return 0;
    },
  });
  // Marks response-time breaches as they happen and announces them.
  const slaTicker = startSlaTicker();
  log.info(
    `Workers: webhook queue, outbox sender, SLA ticker, retention sweeper${simulator ? " and WhatsApp simulator" : ""}`,
  );

  return {
    async stop() {
      setOutboxNudge(undefined);
      await Promise.all([
        sender.stop(),
        webhooks.stop(),
        simulator?.stop(),
        pruner.stop(),
        slaTicker.stop(),
        retention.stop(),
      ]);
      await webhookQueueSettled();
    },
  };
}
