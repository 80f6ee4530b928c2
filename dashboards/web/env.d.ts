/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
interface ImportMetaEnv {
  /** Where the API answers, when it is not the origin that served the app (e.g. `vite dev` on :5173). */
  readonly VITE_VIGIL_API_URL?: string;
}
