import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api';
import { conflictOf, saveDraft, type DraftConflict, type DraftDoc } from './designerApi';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

const sameDoc = (a: DraftDoc, b: DraftDoc) => a.graph === b.graph && a.name === b.name && a.description === b.description;

/**
 * Saves the draft about a second after the last change, one save at a time, each guarded by the
 * revision it was based on (If-Match). A 412 stops autosaving until the person chooses: take the
 * newer draft, or overwrite it knowingly. Nothing is ever overwritten silently.
 */
export function useAutosave(playbookKey: string, doc: DraftDoc, initialEtag: string, delayMs = 1000) {
  const etag = useRef(initialEtag);
  const saved = useRef(doc);
  const latest = useRef(doc);
  latest.current = doc;
  const inFlight = useRef<Promise<boolean> | null>(null);
  const statusRef = useRef<SaveStatus>('saved');
  const [status, setStatusState] = useState<SaveStatus>('saved');
  const [conflict, setConflict] = useState<DraftConflict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);

  const setStatus = useCallback((s: SaveStatus) => {
    statusRef.current = s;
    setStatusState(s);
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    if (statusRef.current === 'conflict') return false;
    const sending = latest.current;
    if (sameDoc(sending, saved.current)) {
      if (statusRef.current !== 'error') setStatus('saved');
      return statusRef.current === 'saved';
    }
    setStatus('saving');
    const run = (async () => {
      try {
        const res = await saveDraft(playbookKey, sending, etag.current);
        etag.current = res.etag;
        saved.current = sending;
        setSavedAt(new Date());
        setError(null);
        setStatus(sameDoc(latest.current, sending) ? 'saved' : 'dirty');
        return true;
      } catch (e) {
        const c = conflictOf(e);
        if (c) {
          setConflict(c);
          setStatus('conflict');
        } else {
          setError(errorMessage(e));
          setStatus('error');
        }
        return false;
      }
    })();
    inFlight.current = run;
    try {
      return await run;
    } finally {
      inFlight.current = null;
    }
  }, [playbookKey, setStatus]);

  useEffect(() => {
    if (sameDoc(doc, saved.current) || statusRef.current === 'conflict') return;
    if (statusRef.current !== 'saving') setStatus('dirty');
    const timer = setTimeout(() => void save(), delayMs);
    return () => clearTimeout(timer);
  }, [doc, save, delayMs, setStatus]);

  // Leaving with unsaved work asks first (the browser shows its own wording).
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (statusRef.current !== 'saved') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  /** Save again on top of the newer draft, knowing it will be replaced. */
  const overwrite = useCallback(async () => {
    if (!conflict) return false;
    etag.current = `"${conflict.currentRevision}"`;
    setConflict(null);
    setStatus('dirty');
    return save();
  }, [conflict, save, setStatus]);

  /** The newer draft was loaded into the designer: it is now what is saved. */
  const adopt = useCallback(
    (theirs: DraftDoc, theirEtag: string) => {
      saved.current = theirs;
      etag.current = theirEtag;
      setConflict(null);
      setError(null);
      setStatus('saved');
    },
    [setStatus],
  );

  return { status, conflict, error, savedAt, save, overwrite, adopt };
}
