import type { ManagedProcess } from './process';

/** One server of the local stack: how to fetch it, how to launch it, how to tell it is ready. */
export interface ServerComponent {
  name: string;
  proc: ManagedProcess;
  /** Where clients connect, for `status`. */
  endpoint: string;
  /** Download/install into the cache; `cached: true` when nothing had to be fetched. */
  provision(): Promise<{ cached: boolean }>;
  /** Write configs, initialise data dirs; returns the command line to launch. */
  prepare(): { command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string };
  healthy(): Promise<boolean>;
}
