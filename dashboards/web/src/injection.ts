import { inject, type InjectionKey } from 'vue';
import type { RestClient } from './api/rest';
import type { Connection } from './config';
import type { LiveSocket } from './socket/live-socket';

export const CONNECTION: InjectionKey<Connection> = Symbol('connection');
export const REST: InjectionKey<RestClient> = Symbol('rest');
export const LIVE: InjectionKey<LiveSocket> = Symbol('live');

export function useRest(): RestClient {
  return inject(REST)!;
}
export function useLive(): LiveSocket {
  return inject(LIVE)!;
}
