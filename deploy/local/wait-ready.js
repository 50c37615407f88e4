// Waits until a local server answers like the real thing: Kafka describes
// its cluster through kafkajs' admin client, the store answers a MongoDB
// ping. Exits 0 when ready, 1 after the timeout or when the process died.
//   node wait-ready.js kafka 127.0.0.1:9092 90 <pid>
//   node wait-ready.js store mongodb://127.0.0.1:27017/?directConnection=true 90 <pid>
'use strict';

const [component, target, timeoutSeconds = '90', pid] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutSeconds) * 1000;

function alive() {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

async function kafkaReady() {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'wait-ready',
    brokers: [target],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function storeReady() {
  const { MongoClient } = require('mongodb');
  const client = new MongoClient(target, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function main() {
  const probe = component === 'kafka' ? kafkaReady : component === 'store' ? storeReady : undefined;
  if (!probe) throw new Error(`unknown component ${component}`);
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!alive()) {
      console.error(`[infra] ${component} (pid ${pid}) exited before it was ready`);
      process.exit(1);
    }
    try {
      if (await probe()) process.exit(0);
    } catch (error) {
      lastError = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(`[infra] ${component} at ${target}: ${lastError}`);
  process.exit(1);
}

main().catch((error) => {
  console.error(`[infra] ${error.stack || error.message}`);
  process.exit(1);
});
