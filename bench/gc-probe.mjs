// Loaded into the server by the memory benchmark only (NODE_OPTIONS="--expose-gc --import …"):
// on SIGUSR2, a full garbage collection, then process.memoryUsage() written to
// $BENCH_MEMORY_FILE. Without it, V8's own collections move RSS by tens of MB at a time, as much
// as 1,000 sockets weigh together, and a figure per socket is noise.
import { renameSync, writeFileSync } from "node:fs";

const file = process.env.BENCH_MEMORY_FILE;
if (file && typeof globalThis.gc === "function") {
  process.on("SIGUSR2", () => {
    // Twice: the first collection runs finalizers whose objects the second one frees.
    globalThis.gc();
    globalThis.gc();
    writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${file}.tmp`, file);
  });
}
