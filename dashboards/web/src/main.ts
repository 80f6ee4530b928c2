/**
 * Start-up: connection settings from the page, Pinia and the router, the REST client and the one live socket
 * (provided to pages), then the app. `?perf=1` turns the frame probe on for the e2e run.
 */
import 'uplot/dist/uPlot.min.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { RestClient } from './api/rest';
import App from './App.vue';
import { resolveConnection } from './config';
import { startFrameProbe } from './lib/frame-probe';
import { router } from './router';
import { connectLive } from './socket/live-socket';
import { useEventsStore } from './stores/events';
import { useFleetStore } from './stores/fleet';
import { CONNECTION, LIVE, REST } from './injection';
import './styles.css';

const conn = resolveConnection(location.search, localStorage, import.meta.env.VITE_VIGIL_API_URL, location.origin);
if (location.search.includes('key=')) history.replaceState(null, '', location.pathname + location.hash);
if (new URLSearchParams(location.search).get('perf') === '1') startFrameProbe(window as { __vigilFrames?: never });

const app = createApp(App);
app.use(createPinia());
app.use(router);
const live = connectLive(conn, { fleet: useFleetStore(), events: useEventsStore() });
app.provide(CONNECTION, conn);
app.provide(REST, new RestClient(conn.apiUrl, conn.apiKey));
app.provide(LIVE, live);
app.mount('#app');
