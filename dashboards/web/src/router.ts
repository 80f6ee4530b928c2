import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

/** Pages in the order of the number keys 1–5. Hash history: the static files need no server rewrites. */
export const PAGES = [
  { path: '/', name: 'overview', title: 'Overview' },
  { path: '/training', name: 'training', title: 'Training' },
  { path: '/anomalies', name: 'anomalies', title: 'Anomalies' },
  { path: '/root-cause', name: 'root-cause', title: 'Root cause' },
  { path: '/drift', name: 'drift', title: 'Drift' },
] as const;

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: () => import('./pages/OverviewPage.vue') },
  { path: '/training', name: 'training', component: () => import('./pages/TrainingPage.vue') },
  { path: '/anomalies', name: 'anomalies', component: () => import('./pages/AnomaliesPage.vue') },
  { path: '/devices/:deviceId', name: 'device', component: () => import('./pages/AnomaliesPage.vue'), props: true },
  { path: '/anomalies/:deviceId/:windowStartMs', name: 'window', component: () => import('./pages/WindowPage.vue'), props: true },
  { path: '/root-cause/:deviceId?/:windowStartMs?', name: 'root-cause', component: () => import('./pages/RootCausePage.vue'), props: true },
  { path: '/drift', name: 'drift', component: () => import('./pages/DriftPage.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });
