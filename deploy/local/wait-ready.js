// Waits until a local server answers like the real thing: Kafka describes
// its cluster through kafkajs' admin client, with a controller and every
// broker named (a broker is listed once registered and not fenced), the store
// answers a MongoDB ping. Used by infra.sh.
//   node wait-ready.js kafka 127.0.0.1:9092 90 [pid]
//   node wait-ready.js kafka 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096 90 [pid,pid,pid]
//   node wait-ready.js store 'mongodb://127.0.0.1:27017/?directConnection=true' 90 [pid]
//   node wait-ready.js kafka-sasl-ssl 127.0.0.1:9098 90 [pid]
// kafka-sasl-ssl is the broker's SASL_SSL listener, through TLS with the CA of
// PROV_INFRA_TLS_CA_FILE and the SCRAM user of PROV_INFRA_SASL_FILE (the
// platform's KAFKA_SASL_* lines), as infra.sh sets them.
// Exit codes: 0 ready; 1 not ready within the timeout, or one of the
// processes exited; 2 bad arguments; 3 kafkajs or mongodb cannot be loaded.
'use strict';

const [component, target, timeoutSeconds = '90', pidList = ''] = process.argv.slice(2);
const pids = pidList.split(',').filter(Boolean).map(Number);

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

/** The first of the processes that exited, if any. */
function exited() {
  return pids.find((pid) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return error.code !== 'EPERM';
    }
  });
}

/** TLS and SASL options of the SASL_SSL listener, from the files infra.sh names. */
function saslSslOptions() {
  const { readFileSync } = require('node:fs');
  const settings = Object.fromEntries(
    readFileSync(process.env.PROV_INFRA_SASL_FILE, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    ssl: { ca: readFileSync(process.env.PROV_INFRA_TLS_CA_FILE, 'utf8') },
    sasl: {
      mechanism: settings.KAFKA_SASL_MECHANISM,
      username: settings.KAFKA_SASL_USERNAME,
      password: settings.KAFKA_SASL_PASSWORD,
    },
  };
}

async function kafkaReady(security = {}) {
  const { Kafka, logLevel } = load('kafkajs');
  const brokers = target.split(',');
  const admin = new Kafka({
    ...security,
    clientId: 'wait-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const listed = new Set(cluster.brokers.map(({ host, port }) => `${host}:${port}`));
    return brokers.every((broker) => listed.has(broker)) && cluster.controller !== null && cluster.controller !== -1;
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
  const probe = {
    kafka: () => kafkaReady(),
    'kafka-sasl-ssl': () => kafkaReady(saslSslOptions()),
    store: storeReady,
  }[component];
  const seconds = Number(timeoutSeconds);
  if (!probe || !target || !(seconds > 0)) {
    fail(2, 'usage: node wait-ready.js kafka|kafka-sasl-ssl|store <brokers|mongodb-uri> <timeout-seconds> [pid,...]');
  }
  const deadline = Date.now() + seconds * 1000;
  let lastError = 'no answer yet';
  for (;;) {
    const gone = exited();
    if (gone !== undefined) fail(1, `${component} (pid ${gone}) exited before it answered at ${target}`);
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
