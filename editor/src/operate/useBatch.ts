import { useEffect, useState } from 'react';
import { operateApi } from './operateApi';
import type { BatchDetail } from './types';

/**
 * The batch as the server has it, asked again every second until it has finished: the batch runs as
 * a Temporal workflow, so leaving the page or restarting the API does not stop it, and the progress
 * shown is always the server's.
 */
export function useBatch(batchId: string | null, page: { offset: number; limit: number; status?: string } = { offset: 0, limit: 200 }) {
  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { offset, limit, status } = page;

  useEffect(() => {
    setBatch(null);
    setError(null);
    if (!batchId) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const b = await operateApi.batch(batchId, { offset, limit, status }, ctrl.signal);
        if (ctrl.signal.aborted) return;
        setBatch(b);
        setError(null);
        if (!b.finishedAt) timer = setTimeout(() => void poll(), 1000);
      } catch (e) {
        if (ctrl.signal.aborted) return;
        // An API restart answers with a network error for a moment: keep asking, slower.
        setError(e);
        timer = setTimeout(() => void poll(), 3000);
      }
    };
    void poll();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [batchId, offset, limit, status]);

  return { batch, error };
}
