import { useEffect, useRef, useState } from 'react';
import type { TaskChange } from './types';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unsupported';

const DEBOUNCE_MS = 200;

function isTaskChange(v: unknown): v is TaskChange {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
}

/**
 * The live inbox stream (server-sent events). Changes are batched for ~200 ms so a burst (a run
 * closing one task and opening the next) costs one refetch. After a dropped connection comes back,
 * `onChanges` is called with an empty batch: something may have been missed, so refetch anyway.
 */
export function useTaskEvents(onChanges: (changes: TaskChange[]) => void): LiveState {
  const [live, setLive] = useState<LiveState>(typeof EventSource === 'undefined' ? 'unsupported' : 'connecting');
  const handler = useRef(onChanges);
  handler.current = onChanges;

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/inbox/events', { withCredentials: true });
    let pending: TaskChange[] = [];
    let timer: number | null = null;
    let dropped = false;

    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      handler.current(batch);
    };
    const schedule = () => {
      if (timer === null) timer = window.setTimeout(flush, DEBOUNCE_MS);
    };

    source.addEventListener('ready', () => {
      setLive('live');
      if (dropped) {
        dropped = false;
        schedule();
      }
    });
    source.addEventListener('task', (e: MessageEvent<string>) => {
      try {
        const change: unknown = JSON.parse(e.data);
        if (isTaskChange(change)) pending.push(change);
      } catch {
        return;
      }
      schedule();
    });
    source.onerror = () => {
      // EventSource reconnects by itself (the server asks for a 2 s retry), unless the server
      // refused the stream outright (e.g. the session expired): then it stays closed.
      dropped = true;
      setLive(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting');
    };

    return () => {
      if (timer !== null) window.clearTimeout(timer);
      source.close();
    };
  }, []);

  return live;
}
