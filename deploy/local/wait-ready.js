// Waits until a local server answers like the real thing: Kafka describes
// its cluster through kafkajs' admin client, the store answers a MongoDB
// ping. Used by infra.sh.
//   node wait-ready.js kafka 127.0.0.1:9092 90 [pid]
//   node wait-ready.js store 'mongodb://127.0.0.1:27017/?directConnection=true' 90 [pid]
// Exit codes: 0 ready; 1 not ready within the timeout, or the process <pid>
// exited; 2 bad arguments; 3 kafkajs or mongodb cannot be loaded.
'use strict';

const [component, target, timeoutSeconds = '90', pid] = process.argv.slice(2);

function fail(code, message) {
  console.error(`[infra] ${message}`);
  process.exit(code);
}

function load(name) {
  try {
    return require(name);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND') {
      fail(3, `wait-ready.js cannot load the npm package '${name}': run 'npm ci' at the repository root`);
    }
    throw error;
  }
}

function alive() {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function kafkaReady() {
  const { Kafka, logLevel } = load('kafkajs');
  const admin = new Kafka({
    clientId: 'wait-ready',
    brokers: [target],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function storeReady() {
  const { MongoClient } = load('mongodb');
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
  const probe = { kafka: kafkaReady, store: storeReady }[component];
  const seconds = Number(timeoutSeconds);
  if (!probe || !target || !(seconds > 0)) {
    fail(2, 'usage: node wait-ready.js kafka|store <brokers|mongodb-uri> <timeout-seconds> [pid]');
  }
  const deadline = Date.now() + seconds * 1000;
  let lastError = 'no answer yet';
  for (;;) {
    if (!alive()) fail(1, `${component} (pid ${pid}) exited before it answered at ${target}`);
    try {
      if (await probe()) process.exit(0);
      lastError = 'answered, but not ready yet';
    } catch (error) {
      lastError = error && error.message ? error.message : String(error);
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(1, `${component} at ${target} did not answer within ${timeoutSeconds}s; last error: ${lastError}`);
}

main().catch((error) => fail(1, error && error.stack ? error.stack : String(error)));
