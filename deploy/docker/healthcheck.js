// Liveness of the service this container runs (SERVICE), on its configured port.
'use strict';

const ports = {
  'training-service': process.env.PROV_TRAINING_PORT || 8081,
  'registry-service': process.env.PROV_REGISTRY_PORT || 8082,
  'inference-service': process.env.PROV_INFERENCE_PORT || 8083,
  projector: process.env.PROV_PROJECTOR_PORT || 8084,
  'query-gateway': process.env.PROV_GATEWAY_PORT || 8085,
};
const port = ports[process.env.SERVICE];
if (!port) {
  console.error(`unknown SERVICE ${process.env.SERVICE}`);
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
