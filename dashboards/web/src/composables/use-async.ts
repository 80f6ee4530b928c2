/** A REST load with its loading and error states, for pages to show instead of a blank panel. */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';

export interface AsyncState<T> {
  data: ShallowRef<T | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  reload: () => Promise<void>;
}

export function useAsync<T>(load: () => Promise<T>): AsyncState<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(true);
  const error = ref<string | null>(null);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      data.value = await load();
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      loading.value = false;
    }
  }
  void reload();
  return { data, loading, error, reload };
}
