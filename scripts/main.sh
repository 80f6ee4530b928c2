#!/usr/bin/env bash
# The main job on a fresh machine: installs, starts the servers, then runs the live pipeline —
# detector + the simulated fleet (scenario: simulators/scenarios/demo.yaml, real time). README: `npm start`.
#   SCENARIO=simulators/scenarios/fleet-50.yaml npm start     # another scenario
#   DURATION=60 npm start                                     # shorter run
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export KAFKAJS_NO_PARTITIONER_WARNING=1
SCENARIO=${SCENARIO:-simulators/scenarios/demo.yaml}
PORT=${DETECTOR_HTTP_PORT:-9464}
LOG=.infra/detector.log

echo "== topics and schemas"
npm run -s kafka:setup

echo "== detector (log: $LOG)"
# node --import tsx (not npx tsx): one process, so the trap's SIGTERM reaches the detector itself.
DETECTOR_HTTP_PORT=$PORT DETECTOR_EXPECTED_MODALITIES=SENSOR,AUDIO,IMAGE node --import tsx services/detector/src/main.ts >"$LOG" 2>&1 &
detector=$!
trap 'kill -TERM $detector 2>/dev/null; wait $detector 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $detector 2>/dev/null || { tail -30 "$LOG"; exit 1; }
  sleep 1
done

echo "== API + live gateway (log: .infra/api.log) and the dashboard"
# A local operator key for this machine's demo: generated once, kept in .infra, given to the API as its SHA-256.
KEY_FILE=.infra/demo-api-key
[[ -s $KEY_FILE ]] || openssl rand -hex 24 > "$KEY_FILE"
API_KEY=$(cat "$KEY_FILE")
API_PORT=${API_HTTP_PORT:-8080}
WEB_PORT=${WEB_PORT:-5173}
API_HTTP_PORT=$API_PORT API_KEYS="local-operator:operator:$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)" \
  API_CORS_ORIGINS="http://127.0.0.1:$WEB_PORT,http://localhost:$WEB_PORT" node --import tsx services/api/src/main.ts >.infra/api.log 2>&1 &
api=$!
npm run -s build -w @vigil/web >.infra/web-build.log 2>&1 || { tail -20 .infra/web-build.log; exit 1; }
(cd dashboards/web && exec npx vite preview --host 127.0.0.1 --port "$WEB_PORT" --strictPort) >.infra/web.log 2>&1 &
web=$!
trap 'kill -TERM $detector $api $web 2>/dev/null; wait $detector $api 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$API_PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $api 2>/dev/null || { tail -30 .infra/api.log; exit 1; }
  sleep 1
done
DASHBOARD="http://127.0.0.1:$WEB_PORT/?api=http://127.0.0.1:$API_PORT&key=$API_KEY#/"

cat <<INFO
== live pipeline running
   metrics    http://127.0.0.1:$PORT/metrics   (vigil_detector_*)
   health     http://127.0.0.1:$PORT/health/ready
   results    clickhouse-client --port 9000 -q "SELECT device_id, count() AS windows, sum(is_anomaly) AS anomalies FROM vigil.anomaly_results FINAL GROUP BY device_id ORDER BY device_id"
   anomalies  clickhouse-client --port 9000 -q "SELECT device_id, toDateTime(intDiv(window_start_ms,1000)) AS t, fused_score, root_cause_summary FROM vigil.anomaly_results FINAL WHERE is_anomaly ORDER BY t DESC LIMIT 20"
   topics     vigil.anomaly.results.v1, vigil.latent.vectors.v1 (Avro, schema registry http://127.0.0.1:8081/apis/ccompat/v7)
   api        http://127.0.0.1:$API_PORT/docs (OpenAPI), key in $KEY_FILE
   dashboard  $DASHBOARD
== simulating $SCENARIO in real time (Ctrl-C stops simulator and detector)
INFO
npx tsx simulators/src/cli.ts "$SCENARIO" ${DURATION:+--duration "$DURATION"}
sleep 5
echo "== results so far"
curl -s "http://127.0.0.1:8123/" --data-binary "SELECT device_id, count() AS windows, sum(is_anomaly) AS anomalies FROM vigil.anomaly_results FINAL GROUP BY device_id ORDER BY device_id FORMAT PrettyCompact"
echo "== dashboard: $DASHBOARD"
